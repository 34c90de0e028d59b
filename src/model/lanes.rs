//! Lanes: the few operations the member arithmetic of the household pass needs, on one member
//! (`One`: plain `f32`, `bool`, `i32`), on eight at a time (`Avx2`, x86-64 with AVX2) or on
//! sixteen (`Avx512`, x86-64 with AVX-512 F, VL, BW, DQ). The formulas are written once, generic
//! over `L: Lanes` (physiology.rs, food.rs, kernel.rs), and each instance compiles to plain scalar
//! code, to AVX2 or to AVX-512 instructions.
//!
//! Every operation gives the same bits on both: `at_least`/`at_most` are defined as the
//! comparisons that `maxps`/`minps` make (`x > floor ? x : floor`), not as `f32::max`, and no
//! operation fuses a multiply and an add. So one member done by `One`, eight done by `Avx2` and
//! sixteen by `Avx512` agree to the last bit by construction (tests/invariants.rs checks it on whole runs).
//!
//! Every operation is `#[inline(always)]`: the vector instances must dissolve into the
//! `#[target_feature(enable = "avx2")]` (or AVX-512) function that uses them (a call per operation would cost
//! more than the arithmetic).

use std::ops::{Add, BitAnd, BitOr, Div, Mul, Sub};

/// A way of holding one or more members' values side by side. A value of the type is the
/// permission to use its operations (for `Avx2`, proof that the processor has AVX2).
pub(crate) trait Lanes: Copy {
    /// Floats, one per lane.
    type F: Copy + Add<Output = Self::F> + Sub<Output = Self::F> + Mul<Output = Self::F> + Div<Output = Self::F>;
    /// Doubles, one per lane.
    type D: Copy + Mul<Output = Self::D>;
    /// Truth values, one per lane.
    type M: Copy + BitAnd<Output = Self::M> + BitOr<Output = Self::M>;
    /// Small integers (age and wasting bands, table indices), one per lane.
    type I: Copy;
    /// A table of up to eight floats, ready for `lookup` (sixteen lanes hold it twice).
    type Table: Copy;

    fn splat(self, x: f32) -> Self::F;
    fn splat_i(self, x: i32) -> Self::I;
    /// `a < b`, `a > b`, `a >= b` (false where either is NaN).
    fn lt(self, a: Self::F, b: Self::F) -> Self::M;
    fn gt(self, a: Self::F, b: Self::F) -> Self::M;
    fn ge(self, a: Self::F, b: Self::F) -> Self::M;
    /// `a` where `m`, else `b`.
    fn select(self, m: Self::M, a: Self::F, b: Self::F) -> Self::F;
    /// `x` where `m`, else +0.0.
    fn only(self, m: Self::M, x: Self::F) -> Self::F;
    /// `a` and not `b`.
    fn and_not(self, a: Self::M, b: Self::M) -> Self::M;
    /// Whether work for the lanes set in `m` has to be done: false only if none is set. One lane
    /// says whether it is set; eight lanes always say true, as working out every lane and
    /// selecting costs less than testing.
    fn needed(self, m: Self::M) -> bool;
    /// `x` if above `floor`, else `floor` (as `maxps`: NaN gives `floor`).
    fn at_least(self, x: Self::F, floor: Self::F) -> Self::F;
    /// `x` if below `ceiling`, else `ceiling` (as `minps`: NaN gives `ceiling`).
    fn at_most(self, x: Self::F, ceiling: Self::F) -> Self::F;
    /// Toward zero, as an integer (for values within `i32`).
    fn trunc(self, x: Self::F) -> Self::I;
    fn float(self, i: Self::I) -> Self::F;
    fn add_i(self, a: Self::I, b: Self::I) -> Self::I;
    fn min_i(self, a: Self::I, b: Self::I) -> Self::I;
    fn eq_i(self, a: Self::I, b: Self::I) -> Self::M;
    fn lt_i(self, a: Self::I, b: Self::I) -> Self::M;
    /// `i + 1` where `m`, else `i`.
    fn add_where(self, i: Self::I, m: Self::M) -> Self::I;
    /// The bits of `i` from bit `shift` on (a logical shift), and `mask`.
    fn bits_of(self, i: Self::I, shift: u32, mask: i32) -> Self::I;
    fn or_i(self, a: Self::I, b: Self::I) -> Self::I;
    /// `a` where `m`, else `b`.
    fn select_i(self, m: Self::M, a: Self::I, b: Self::I) -> Self::I;
    /// A table of up to eight entries (the rest 0).
    fn table(self, entries: &[f32]) -> Self::Table;
    /// Entry `i` modulo 8 of `t`.
    fn lookup(self, t: Self::Table, i: Self::I) -> Self::F;
    /// `t[i]` where `m`, else +0.0.
    ///
    /// # Safety
    /// Where `m`, `0 <= i < t.len()`.
    unsafe fn lookup_where(self, t: &[f32], i: Self::I, m: Self::M) -> Self::F;
    /// As doubles (exact), and back to floats (rounded to nearest).
    fn widen(self, x: Self::F) -> Self::D;
    fn narrow(self, x: Self::D) -> Self::F;
}

/// One member at a time.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct One;

impl Lanes for One {
    type F = f32;
    type D = f64;
    type M = bool;
    type I = i32;
    type Table = [f32; 8];

    #[inline(always)]
    fn splat(self, x: f32) -> f32 {
        x
    }
    #[inline(always)]
    fn splat_i(self, x: i32) -> i32 {
        x
    }
    #[inline(always)]
    fn lt(self, a: f32, b: f32) -> bool {
        a < b
    }
    #[inline(always)]
    fn gt(self, a: f32, b: f32) -> bool {
        a > b
    }
    #[inline(always)]
    fn ge(self, a: f32, b: f32) -> bool {
        a >= b
    }
    #[inline(always)]
    fn select(self, m: bool, a: f32, b: f32) -> f32 {
        if m { a } else { b }
    }
    #[inline(always)]
    fn only(self, m: bool, x: f32) -> f32 {
        if m { x } else { 0.0 }
    }
    #[inline(always)]
    fn and_not(self, a: bool, b: bool) -> bool {
        a && !b
    }
    #[inline(always)]
    fn needed(self, m: bool) -> bool {
        m
    }
    #[inline(always)]
    fn at_least(self, x: f32, floor: f32) -> f32 {
        if x > floor { x } else { floor }
    }
    #[inline(always)]
    fn at_most(self, x: f32, ceiling: f32) -> f32 {
        if x < ceiling { x } else { ceiling }
    }
    #[inline(always)]
    fn trunc(self, x: f32) -> i32 {
        x as i32
    }
    #[inline(always)]
    fn float(self, i: i32) -> f32 {
        i as f32
    }
    #[inline(always)]
    fn add_i(self, a: i32, b: i32) -> i32 {
        a + b
    }
    #[inline(always)]
    fn min_i(self, a: i32, b: i32) -> i32 {
        a.min(b)
    }
    #[inline(always)]
    fn eq_i(self, a: i32, b: i32) -> bool {
        a == b
    }
    #[inline(always)]
    fn lt_i(self, a: i32, b: i32) -> bool {
        a < b
    }
    #[inline(always)]
    fn add_where(self, i: i32, m: bool) -> i32 {
        i + i32::from(m)
    }
    #[inline(always)]
    fn bits_of(self, i: i32, shift: u32, mask: i32) -> i32 {
        ((i as u32 >> shift) as i32) & mask
    }
    #[inline(always)]
    fn or_i(self, a: i32, b: i32) -> i32 {
        a | b
    }
    #[inline(always)]
    fn select_i(self, m: bool, a: i32, b: i32) -> i32 {
        if m { a } else { b }
    }
    #[inline(always)]
    fn table(self, entries: &[f32]) -> [f32; 8] {
        let mut t = [0.0; 8];
        t[..entries.len()].copy_from_slice(entries);
        t
    }
    #[inline(always)]
    fn lookup(self, t: [f32; 8], i: i32) -> f32 {
        t[(i & 7) as usize]
    }
    #[inline(always)]
    unsafe fn lookup_where(self, t: &[f32], i: i32, m: bool) -> f32 {
        if m { t[i as usize] } else { 0.0 }
    }
    #[inline(always)]
    fn widen(self, x: f32) -> f64 {
        f64::from(x)
    }
    #[inline(always)]
    fn narrow(self, x: f64) -> f32 {
        x as f32
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) use avx2::Avx2;

#[cfg(target_arch = "x86_64")]
mod avx2 {
    //! Eight lanes in AVX2 registers. The wrappers' fields are private and made only by `Avx2`'s
    //! methods, and an `Avx2` only where the processor has AVX2: so every intrinsic called here
    //! runs on a processor that has it.
    use super::Lanes;
    use std::arch::x86_64::*;
    use std::ops::{Add, BitAnd, BitOr, Div, Mul, Sub};

    /// Eight lanes; made by `Avx2::new` (checked) or `Avx2::new_unchecked`.
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Avx2(());

    /// Eight floats, eight doubles (two halves, lanes 0–3 then 4–7), eight masks (all bits set or
    /// none).
    #[derive(Clone, Copy)]
    pub(crate) struct F8(__m256);
    #[derive(Clone, Copy)]
    pub(crate) struct D8([__m256d; 2]);
    #[derive(Clone, Copy)]
    pub(crate) struct M8(__m256);
    #[derive(Clone, Copy)]
    pub(crate) struct I8(__m256i);

    impl Avx2 {
        /// Where the processor has AVX2.
        pub fn new() -> Option<Avx2> {
            std::is_x86_feature_detected!("avx2").then_some(Avx2(()))
        }
        /// # Safety
        /// The processor has AVX2.
        #[inline(always)]
        pub unsafe fn new_unchecked() -> Avx2 {
            Avx2(())
        }
        #[inline(always)]
        pub fn f(self, x: __m256) -> F8 {
            F8(x)
        }
        #[inline(always)]
        pub fn m(self, x: __m256) -> M8 {
            M8(x)
        }
        #[inline(always)]
        pub fn i(self, x: __m256i) -> I8 {
            I8(x)
        }
        #[inline(always)]
        pub fn d(self, lo: __m256d, hi: __m256d) -> D8 {
            D8([lo, hi])
        }
    }

    impl F8 {
        #[inline(always)]
        pub fn raw(self) -> __m256 {
            self.0
        }
    }
    impl M8 {
        #[inline(always)]
        pub fn raw(self) -> __m256 {
            self.0
        }
        /// The lanes set, as bits 0–7.
        #[inline(always)]
        pub fn bits(self) -> u32 {
            // SAFETY: an M8 exists only where AVX2 does.
            unsafe { _mm256_movemask_ps(self.0) as u32 }
        }
    }
    impl I8 {
        #[inline(always)]
        pub fn raw(self) -> __m256i {
            self.0
        }
    }
    impl D8 {
        #[inline(always)]
        pub fn raw(self) -> [__m256d; 2] {
            self.0
        }
    }

    macro_rules! binary {
        ($t:ident, $trait:ident, $method:ident, $intrinsic:ident) => {
            impl $trait for $t {
                type Output = $t;
                #[inline(always)]
                fn $method(self, o: $t) -> $t {
                    // SAFETY: values of the type exist only where AVX2 does.
                    $t(unsafe { $intrinsic(self.0, o.0) })
                }
            }
        };
    }
    binary!(F8, Add, add, _mm256_add_ps);
    binary!(F8, Sub, sub, _mm256_sub_ps);
    binary!(F8, Mul, mul, _mm256_mul_ps);
    binary!(F8, Div, div, _mm256_div_ps);
    binary!(M8, BitAnd, bitand, _mm256_and_ps);
    binary!(M8, BitOr, bitor, _mm256_or_ps);

    impl Mul for D8 {
        type Output = D8;
        #[inline(always)]
        fn mul(self, o: D8) -> D8 {
            // SAFETY: as above.
            unsafe { D8([_mm256_mul_pd(self.0[0], o.0[0]), _mm256_mul_pd(self.0[1], o.0[1])]) }
        }
    }

    // SAFETY (every method): `self` is an `Avx2`, so the processor has AVX2.
    impl Lanes for Avx2 {
        type F = F8;
        type D = D8;
        type M = M8;
        type I = I8;
        type Table = F8;

        #[inline(always)]
        fn splat(self, x: f32) -> F8 {
            F8(unsafe { _mm256_set1_ps(x) })
        }
        #[inline(always)]
        fn splat_i(self, x: i32) -> I8 {
            I8(unsafe { _mm256_set1_epi32(x) })
        }
        #[inline(always)]
        fn lt(self, a: F8, b: F8) -> M8 {
            M8(unsafe { _mm256_cmp_ps::<_CMP_LT_OQ>(a.0, b.0) })
        }
        #[inline(always)]
        fn gt(self, a: F8, b: F8) -> M8 {
            M8(unsafe { _mm256_cmp_ps::<_CMP_GT_OQ>(a.0, b.0) })
        }
        #[inline(always)]
        fn ge(self, a: F8, b: F8) -> M8 {
            M8(unsafe { _mm256_cmp_ps::<_CMP_GE_OQ>(a.0, b.0) })
        }
        #[inline(always)]
        fn select(self, m: M8, a: F8, b: F8) -> F8 {
            F8(unsafe { _mm256_blendv_ps(b.0, a.0, m.0) })
        }
        #[inline(always)]
        fn only(self, m: M8, x: F8) -> F8 {
            F8(unsafe { _mm256_and_ps(m.0, x.0) })
        }
        #[inline(always)]
        fn and_not(self, a: M8, b: M8) -> M8 {
            M8(unsafe { _mm256_andnot_ps(b.0, a.0) })
        }
        #[inline(always)]
        fn needed(self, _: M8) -> bool {
            true
        }
        #[inline(always)]
        fn at_least(self, x: F8, floor: F8) -> F8 {
            F8(unsafe { _mm256_max_ps(x.0, floor.0) })
        }
        #[inline(always)]
        fn at_most(self, x: F8, ceiling: F8) -> F8 {
            F8(unsafe { _mm256_min_ps(x.0, ceiling.0) })
        }
        #[inline(always)]
        fn trunc(self, x: F8) -> I8 {
            I8(unsafe { _mm256_cvttps_epi32(x.0) })
        }
        #[inline(always)]
        fn float(self, i: I8) -> F8 {
            F8(unsafe { _mm256_cvtepi32_ps(i.0) })
        }
        #[inline(always)]
        fn add_i(self, a: I8, b: I8) -> I8 {
            I8(unsafe { _mm256_add_epi32(a.0, b.0) })
        }
        #[inline(always)]
        fn min_i(self, a: I8, b: I8) -> I8 {
            I8(unsafe { _mm256_min_epi32(a.0, b.0) })
        }
        #[inline(always)]
        fn eq_i(self, a: I8, b: I8) -> M8 {
            M8(unsafe { _mm256_castsi256_ps(_mm256_cmpeq_epi32(a.0, b.0)) })
        }
        #[inline(always)]
        fn lt_i(self, a: I8, b: I8) -> M8 {
            M8(unsafe { _mm256_castsi256_ps(_mm256_cmpgt_epi32(b.0, a.0)) })
        }
        #[inline(always)]
        fn add_where(self, i: I8, m: M8) -> I8 {
            // A set lane is −1 as an integer.
            I8(unsafe { _mm256_sub_epi32(i.0, _mm256_castps_si256(m.0)) })
        }
        #[inline(always)]
        fn bits_of(self, i: I8, shift: u32, mask: i32) -> I8 {
            I8(unsafe {
                _mm256_and_si256(
                    _mm256_srlv_epi32(i.0, _mm256_set1_epi32(shift as i32)),
                    _mm256_set1_epi32(mask),
                )
            })
        }
        #[inline(always)]
        fn or_i(self, a: I8, b: I8) -> I8 {
            I8(unsafe { _mm256_or_si256(a.0, b.0) })
        }
        #[inline(always)]
        fn select_i(self, m: M8, a: I8, b: I8) -> I8 {
            I8(unsafe {
                _mm256_castps_si256(_mm256_blendv_ps(
                    _mm256_castsi256_ps(b.0),
                    _mm256_castsi256_ps(a.0),
                    m.0,
                ))
            })
        }
        #[inline(always)]
        fn table(self, entries: &[f32]) -> F8 {
            let mut a = [0.0f32; 8];
            a[..entries.len()].copy_from_slice(entries);
            F8(unsafe { _mm256_loadu_ps(a.as_ptr()) })
        }
        #[inline(always)]
        fn lookup(self, t: F8, i: I8) -> F8 {
            F8(unsafe { _mm256_permutevar8x32_ps(t.0, i.0) })
        }
        #[inline(always)]
        unsafe fn lookup_where(self, t: &[f32], i: I8, m: M8) -> F8 {
            // SAFETY: the caller keeps the lanes gathered within `t`.
            F8(unsafe { _mm256_mask_i32gather_ps::<4>(_mm256_setzero_ps(), t.as_ptr(), i.0, m.0) })
        }
        #[inline(always)]
        fn widen(self, x: F8) -> D8 {
            unsafe {
                D8([
                    _mm256_cvtps_pd(_mm256_castps256_ps128(x.0)),
                    _mm256_cvtps_pd(_mm256_extractf128_ps::<1>(x.0)),
                ])
            }
        }
        #[inline(always)]
        fn narrow(self, x: D8) -> F8 {
            F8(unsafe { _mm256_set_m128(_mm256_cvtpd_ps(x.0[1]), _mm256_cvtpd_ps(x.0[0])) })
        }
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) use avx512::{Avx512, M16};

#[cfg(target_arch = "x86_64")]
mod avx512 {
    //! Sixteen lanes in AVX-512 registers (F, VL, BW, DQ), each lane doing exactly what a lane of
    //! `Avx2` does: the same IEEE operations (`vmaxps`/`vminps` give the second operand where
    //! either is NaN, as `maxps`/`minps`; conversions truncate or round to nearest as theirs), masks
    //! in mask registers. As for `Avx2`, the wrappers are made only by `Avx512`'s methods, and an
    //! `Avx512` only where the processor has the features.
    use super::Lanes;
    use std::arch::x86_64::*;
    use std::ops::{Add, BitAnd, BitOr, Div, Mul, Sub};

    /// Sixteen lanes; made by `Avx512::new_unchecked`.
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Avx512(());

    /// Sixteen floats, sixteen doubles (two halves, lanes 0–7 then 8–15), sixteen masks (one bit a
    /// lane), sixteen integers.
    #[derive(Clone, Copy)]
    pub(crate) struct F16(__m512);
    #[derive(Clone, Copy)]
    pub(crate) struct D16([__m512d; 2]);
    #[derive(Clone, Copy)]
    pub(crate) struct M16(__mmask16);
    #[derive(Clone, Copy)]
    pub(crate) struct I16(__m512i);

    impl Avx512 {
        /// # Safety
        /// The processor has AVX-512 F, VL, BW and DQ.
        #[inline(always)]
        pub unsafe fn new_unchecked() -> Avx512 {
            Avx512(())
        }
        #[inline(always)]
        pub fn f(self, x: __m512) -> F16 {
            F16(x)
        }
        #[inline(always)]
        pub fn m(self, x: __mmask16) -> M16 {
            M16(x)
        }
        #[inline(always)]
        pub fn i(self, x: __m512i) -> I16 {
            I16(x)
        }
        #[inline(always)]
        pub fn d(self, lo: __m512d, hi: __m512d) -> D16 {
            D16([lo, hi])
        }
    }

    impl F16 {
        #[inline(always)]
        pub fn raw(self) -> __m512 {
            self.0
        }
    }
    impl M16 {
        /// The lanes set, as bits 0–15.
        #[inline(always)]
        pub fn bits(self) -> __mmask16 {
            self.0
        }
    }
    impl I16 {
        #[inline(always)]
        pub fn raw(self) -> __m512i {
            self.0
        }
    }
    impl D16 {
        #[inline(always)]
        pub fn raw(self) -> [__m512d; 2] {
            self.0
        }
    }

    macro_rules! binary {
        ($t:ident, $trait:ident, $method:ident, $intrinsic:ident) => {
            impl $trait for $t {
                type Output = $t;
                #[inline(always)]
                fn $method(self, o: $t) -> $t {
                    // SAFETY: values of the type exist only where AVX-512 does.
                    $t(unsafe { $intrinsic(self.0, o.0) })
                }
            }
        };
    }
    binary!(F16, Add, add, _mm512_add_ps);
    binary!(F16, Sub, sub, _mm512_sub_ps);
    binary!(F16, Mul, mul, _mm512_mul_ps);
    binary!(F16, Div, div, _mm512_div_ps);

    impl BitAnd for M16 {
        type Output = M16;
        #[inline(always)]
        fn bitand(self, o: M16) -> M16 {
            M16(self.0 & o.0)
        }
    }
    impl BitOr for M16 {
        type Output = M16;
        #[inline(always)]
        fn bitor(self, o: M16) -> M16 {
            M16(self.0 | o.0)
        }
    }
    impl Mul for D16 {
        type Output = D16;
        #[inline(always)]
        fn mul(self, o: D16) -> D16 {
            // SAFETY: as above.
            unsafe { D16([_mm512_mul_pd(self.0[0], o.0[0]), _mm512_mul_pd(self.0[1], o.0[1])]) }
        }
    }

    // SAFETY (every method): `self` is an `Avx512`, so the processor has AVX-512 F, VL, BW, DQ.
    impl Lanes for Avx512 {
        type F = F16;
        type D = D16;
        type M = M16;
        type I = I16;
        type Table = F16;

        #[inline(always)]
        fn splat(self, x: f32) -> F16 {
            F16(unsafe { _mm512_set1_ps(x) })
        }
        #[inline(always)]
        fn splat_i(self, x: i32) -> I16 {
            I16(unsafe { _mm512_set1_epi32(x) })
        }
        #[inline(always)]
        fn lt(self, a: F16, b: F16) -> M16 {
            M16(unsafe { _mm512_cmp_ps_mask::<_CMP_LT_OQ>(a.0, b.0) })
        }
        #[inline(always)]
        fn gt(self, a: F16, b: F16) -> M16 {
            M16(unsafe { _mm512_cmp_ps_mask::<_CMP_GT_OQ>(a.0, b.0) })
        }
        #[inline(always)]
        fn ge(self, a: F16, b: F16) -> M16 {
            M16(unsafe { _mm512_cmp_ps_mask::<_CMP_GE_OQ>(a.0, b.0) })
        }
        #[inline(always)]
        fn select(self, m: M16, a: F16, b: F16) -> F16 {
            F16(unsafe { _mm512_mask_blend_ps(m.0, b.0, a.0) })
        }
        #[inline(always)]
        fn only(self, m: M16, x: F16) -> F16 {
            F16(unsafe { _mm512_maskz_mov_ps(m.0, x.0) })
        }
        #[inline(always)]
        fn and_not(self, a: M16, b: M16) -> M16 {
            M16(a.0 & !b.0)
        }
        #[inline(always)]
        fn needed(self, _: M16) -> bool {
            true
        }
        #[inline(always)]
        fn at_least(self, x: F16, floor: F16) -> F16 {
            F16(unsafe { _mm512_max_ps(x.0, floor.0) })
        }
        #[inline(always)]
        fn at_most(self, x: F16, ceiling: F16) -> F16 {
            F16(unsafe { _mm512_min_ps(x.0, ceiling.0) })
        }
        #[inline(always)]
        fn trunc(self, x: F16) -> I16 {
            I16(unsafe { _mm512_cvttps_epi32(x.0) })
        }
        #[inline(always)]
        fn float(self, i: I16) -> F16 {
            F16(unsafe { _mm512_cvtepi32_ps(i.0) })
        }
        #[inline(always)]
        fn add_i(self, a: I16, b: I16) -> I16 {
            I16(unsafe { _mm512_add_epi32(a.0, b.0) })
        }
        #[inline(always)]
        fn min_i(self, a: I16, b: I16) -> I16 {
            I16(unsafe { _mm512_min_epi32(a.0, b.0) })
        }
        #[inline(always)]
        fn eq_i(self, a: I16, b: I16) -> M16 {
            M16(unsafe { _mm512_cmpeq_epi32_mask(a.0, b.0) })
        }
        #[inline(always)]
        fn lt_i(self, a: I16, b: I16) -> M16 {
            M16(unsafe { _mm512_cmplt_epi32_mask(a.0, b.0) })
        }
        #[inline(always)]
        fn add_where(self, i: I16, m: M16) -> I16 {
            I16(unsafe { _mm512_mask_add_epi32(i.0, m.0, i.0, _mm512_set1_epi32(1)) })
        }
        #[inline(always)]
        fn bits_of(self, i: I16, shift: u32, mask: i32) -> I16 {
            I16(unsafe {
                _mm512_and_si512(
                    _mm512_srlv_epi32(i.0, _mm512_set1_epi32(shift as i32)),
                    _mm512_set1_epi32(mask),
                )
            })
        }
        #[inline(always)]
        fn or_i(self, a: I16, b: I16) -> I16 {
            I16(unsafe { _mm512_or_si512(a.0, b.0) })
        }
        #[inline(always)]
        fn select_i(self, m: M16, a: I16, b: I16) -> I16 {
            I16(unsafe { _mm512_mask_blend_epi32(m.0, b.0, a.0) })
        }
        /// The eight entries twice, so that `lookup`'s index modulo 16 reads entry `i` modulo 8.
        #[inline(always)]
        fn table(self, entries: &[f32]) -> F16 {
            let mut a = [0.0f32; 16];
            a[..entries.len()].copy_from_slice(entries);
            a.copy_within(0..8, 8);
            F16(unsafe { _mm512_loadu_ps(a.as_ptr()) })
        }
        #[inline(always)]
        fn lookup(self, t: F16, i: I16) -> F16 {
            F16(unsafe { _mm512_permutexvar_ps(i.0, t.0) })
        }
        #[inline(always)]
        unsafe fn lookup_where(self, t: &[f32], i: I16, m: M16) -> F16 {
            // SAFETY: the caller keeps the lanes gathered within `t`.
            F16(unsafe { _mm512_mask_i32gather_ps::<4>(_mm512_setzero_ps(), m.0, i.0, t.as_ptr()) })
        }
        #[inline(always)]
        fn widen(self, x: F16) -> D16 {
            unsafe {
                D16([
                    _mm512_cvtps_pd(_mm512_castps512_ps256(x.0)),
                    _mm512_cvtps_pd(_mm512_extractf32x8_ps::<1>(x.0)),
                ])
            }
        }
        #[inline(always)]
        fn narrow(self, x: D16) -> F16 {
            unsafe {
                F16(_mm512_insertf32x8::<1>(
                    _mm512_castps256_ps512(_mm512_cvtpd_ps(x.0[0])),
                    _mm512_cvtpd_ps(x.0[1]),
                ))
            }
        }
    }
}
