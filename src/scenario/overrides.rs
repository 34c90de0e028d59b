//! Key-path overrides (`--set population.size=5000`, `--vary airdrops.0.day=2..16`) applied to the
//! scenario's TOML tree before it is deserialised, so an override is checked exactly like the file.

use toml::{Table, Value};

/// One value for one key path, as a command-line flag gave it: already a TOML value, so a value
/// that came as TOML (a `--vary` grid value) is never turned into text and read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    pub key: String,
    pub value: Value,
    /// The flag that gave it (`--set`, `--vary`, `--seed`, `--replicates`), named in messages.
    pub flag: &'static str,
}

impl Override {
    /// `--set KEY=VALUE`: the value text read as TOML (a bare word as a string).
    pub fn set(key: &str, text: &str) -> Self {
        Override {
            key: dotted(key),
            value: parse_value(text),
            flag: "--set",
        }
    }

    /// A value given by `flag` as it is.
    pub fn new(key: &str, value: Value, flag: &'static str) -> Self {
        Override {
            key: dotted(key),
            value,
            flag,
        }
    }

    /// Text pairs as `--set` gives them.
    pub fn from_set(pairs: &[(String, String)]) -> Vec<Override> {
        pairs.iter().map(|(k, v)| Override::set(k, v)).collect()
    }
}

/// Parses the right-hand side of `--set KEY=VALUE` as a TOML value; a bare word that is not valid
/// TOML (e.g. `need`) is taken as a string.
pub fn parse_value(text: &str) -> Value {
    let doc = format!("v = {text}");
    match doc.parse::<Table>() {
        Ok(mut t) => t.remove("v").unwrap_or_else(|| Value::String(text.to_string())),
        Err(_) => Value::String(text.to_string()),
    }
}

/// Splits `KEY=VALUE`.
pub fn split_assignment(arg: &str) -> Result<(&str, &str), String> {
    match arg.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim(), v.trim())),
        _ => Err(format!(
            "`{arg}` is not of the form KEY=VALUE (e.g. population.size=5000)"
        )),
    }
}

/// Most segments in a key path. The deepest key of the schema has 4 (`food.rations.0.from_day`,
/// `events.3.reopen.1`); a path of tens of thousands built a tree so deep that dropping it
/// overflowed the stack.
pub const MAX_KEY_SEGMENTS: usize = 16;

/// Refuses a key path with more than [`MAX_KEY_SEGMENTS`] segments, before anything is built.
pub fn check_key_path(path: &str) -> Result<(), String> {
    let n = path.split('.').count();
    if n > MAX_KEY_SEGMENTS {
        return Err(format!(
            "a key path of {n} segments (`{}`); at most {MAX_KEY_SEGMENTS}",
            super::shorten(path, 60)
        ));
    }
    Ok(())
}

/// A key path in the one style messages use: `locations[0].kind` written as `locations.0.kind`.
pub fn dotted(path: &str) -> String {
    if !path.contains('[') {
        return path.to_string();
    }
    path.replace(']', "").replace('[', ".")
}

/// Sets `path` (dot-separated; in an array, a segment is an element's index from 0 or, for an
/// array of tables with ids, an element's `id`) to `value`, creating tables on the way. Returns the
/// path with every element named by its index (`locations.city.capacity` → `locations.2.capacity`),
/// as problems are reported. Whether the key exists in the scenario schema is checked later, by
/// deserialisation.
pub fn set_path(root: &mut Table, path: &str, value: Value) -> Result<String, String> {
    check_key_path(path)?;
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!("`{}` is not a valid key path", super::shorten(path, 200)));
    }
    let (last, parents) = segments.split_last().expect("split yields at least one segment");
    let mut resolved: Vec<String> = vec![parents.first().copied().unwrap_or(last).to_string()];
    let mut node: &mut Value = root
        .entry(parents.first().copied().unwrap_or(last).to_string())
        .or_insert_with(|| Value::Table(Table::new()));
    if parents.is_empty() {
        *node = value;
        return Ok(path.to_string());
    }
    for (depth, seg) in parents.iter().enumerate().skip(1) {
        let (next, name) = step(node, seg, &segments[..=depth].join("."))?;
        node = next;
        resolved.push(name);
    }
    match node {
        Value::Table(t) => {
            t.insert(last.to_string(), value);
            resolved.push(last.to_string());
        }
        Value::Array(a) => {
            let i = index(last, a, path)?;
            a[i] = value;
            resolved.push(i.to_string());
        }
        _ => {
            return Err(format!(
                "`{}` is a value, not a table: cannot set `{path}`",
                parents.join(".")
            ));
        }
    }
    Ok(resolved.join("."))
}

/// One step down a key path: the node and the segment as an index when it named an element.
fn step<'a>(node: &'a mut Value, seg: &str, path_so_far: &str) -> Result<(&'a mut Value, String), String> {
    match node {
        Value::Table(t) => Ok((
            t.entry(seg.to_string()).or_insert_with(|| Value::Table(Table::new())),
            seg.to_string(),
        )),
        Value::Array(a) => {
            let i = index(seg, a, path_so_far)?;
            Ok((&mut a[i], i.to_string()))
        }
        _ => Err(format!(
            "`{path_so_far}` goes through a value that is not a table or array"
        )),
    }
}

/// The element of `array` that `seg` names: its index, else the first table whose `id` is `seg`.
fn find(seg: &str, array: &[Value]) -> Option<usize> {
    match seg.parse::<usize>() {
        Ok(i) => (i < array.len()).then_some(i),
        Err(_) => array
            .iter()
            .position(|v| v.get("id").and_then(Value::as_str) == Some(seg)),
    }
}

/// As [`find`], or why not, naming the indices and ids there are.
fn index(seg: &str, array: &[Value], path: &str) -> Result<usize, String> {
    if let Some(i) = find(seg, array) {
        return Ok(i);
    }
    let len = array.len();
    if len == 0 {
        return Err(format!("`{path}`: the scenario has no element there"));
    }
    let ids: Vec<&str> = array
        .iter()
        .filter_map(|v| v.get("id").and_then(Value::as_str))
        .collect();
    let by_id = if ids.is_empty() {
        String::new()
    } else {
        let shown: Vec<String> = ids
            .iter()
            .take(5)
            .map(|id| super::shorten(id, 100).into_owned())
            .collect();
        let more = ids.len().saturating_sub(5);
        format!(
            " or an id: {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )
    };
    let what = if ids.is_empty() { "index" } else { "index or id" };
    let has = if len == 1 {
        "1 element: index 0".to_string()
    } else {
        format!("{len} elements: an index from 0 to {}", len - 1)
    };
    Err(match seg.parse::<usize>() {
        Ok(i) => format!("`{path}`: index {i} is out of range; the scenario has {has}{by_id}"),
        Err(_) => format!(
            "`{path}`: no element with {what} `{}`{}; the scenario has {has}{by_id}",
            super::shorten(seg, 100),
            super::suggest(seg, &ids),
        ),
    })
}

/// The first element that `path` names and `root` does not have, as a key path: `airdrops.0` when
/// the scenario has no airdrops (an empty array, or no `airdrops` at all before an index), or
/// `airdrops.3` when it has three. None when every element on the path exists; a missing table
/// or a missing last key is not an element ([`set_path`] creates the one, a default fills the
/// other).
pub fn absent_element(root: &Table, path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('.').collect();
    let prefix = |d: usize| segs[..=d].join(".");
    let mut node: Option<&Value> = None;
    for (d, seg) in segs.iter().enumerate() {
        let next = match node {
            None => root.get(*seg),
            Some(Value::Table(t)) => t.get(*seg),
            Some(Value::Array(a)) => match find(seg, a) {
                Some(i) => a.get(i),
                None => return Some(prefix(d)),
            },
            Some(_) => return None,
        };
        match next {
            Some(v) => node = Some(v),
            // An index into what is not there names an element.
            None => {
                return segs
                    .get(d + 1)
                    .filter(|s| s.parse::<usize>().is_ok())
                    .map(|_| prefix(d + 1));
            }
        }
    }
    None
}

/// `path` with every element named by its index, as in `root` (`locations.city.capacity` →
/// `locations.2.capacity`, `airdrops[0].day` → `airdrops.0.day`): how a key written either way is
/// found among the scenario's flattened keys. A segment naming no element is kept as written.
pub fn indexed_path(root: &Table, path: &str) -> String {
    let path = dotted(path);
    let mut node: Option<&Value> = None;
    let mut out = Vec::new();
    for (d, seg) in path.split('.').enumerate() {
        let next = match node {
            None if d == 0 => root.get(seg),
            Some(Value::Table(t)) => t.get(seg),
            Some(Value::Array(a)) => match find(seg, a) {
                Some(i) => {
                    out.push(i.to_string());
                    node = a.get(i);
                    continue;
                }
                None => None,
            },
            _ => None,
        };
        out.push(seg.to_string());
        node = next;
    }
    out.join(".")
}

/// Reads the value at `path`, if present (elements by index or id, as [`set_path`]).
pub fn get_path<'a>(root: &'a Table, path: &str) -> Option<&'a Value> {
    let mut segs = path.split('.');
    let mut node = root.get(segs.next()?)?;
    for seg in segs {
        node = match node {
            Value::Table(t) => t.get(seg)?,
            Value::Array(a) => a.get(find(seg, a)?)?,
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_nested_and_indexed_keys() {
        let mut t: Table = "[population]\nsize = 3\n[[airdrops]]\nday = 1\n".parse().unwrap();
        set_path(&mut t, "population.size", parse_value("5000")).unwrap();
        set_path(&mut t, "food.stock_days_mean", parse_value("4.5")).unwrap();
        set_path(&mut t, "airdrops.0.day", parse_value("7")).unwrap();
        set_path(&mut t, "airdrops.0.distribution", parse_value("need")).unwrap();
        assert_eq!(get_path(&t, "population.size").unwrap().as_integer(), Some(5000));
        assert_eq!(get_path(&t, "food.stock_days_mean").unwrap().as_float(), Some(4.5));
        assert_eq!(get_path(&t, "airdrops.0.day").unwrap().as_integer(), Some(7));
        assert_eq!(get_path(&t, "airdrops.0.distribution").unwrap().as_str(), Some("need"));
    }

    #[test]
    fn names_elements_by_id_and_returns_the_indexed_path() {
        let mut t: Table = "[[locations]]\nid = \"a\"\n[[locations]]\nid = \"b\"\n"
            .parse()
            .unwrap();
        assert_eq!(
            set_path(&mut t, "locations.b.capacity", Value::Integer(5)).unwrap(),
            "locations.1.capacity"
        );
        assert_eq!(get_path(&t, "locations.1.capacity").unwrap().as_integer(), Some(5));
        assert_eq!(get_path(&t, "locations.b.capacity").unwrap().as_integer(), Some(5));
        let e = set_path(&mut t, "locations.bb.capacity", Value::Integer(5)).unwrap_err();
        assert!(e.contains("no element with index or id `bb`"), "{e}");
        assert!(e.contains("an index from 0 to 1 or an id: a, b"), "{e}");
        assert_eq!(dotted("locations[1].water[0].id"), "locations.1.water.0.id");
        assert_eq!(dotted("population.size"), "population.size");
    }

    #[test]
    fn an_indexed_path_names_elements_by_index() {
        let root: Table =
            toml::from_str("[[locations]]\nid = \"town\"\n[[locations]]\nid = \"city\"\nx = 1\n[food]\nstock = 2\n")
                .unwrap();
        for (given, want) in [
            ("locations.city.x", "locations.1.x"),
            ("locations[1].x", "locations.1.x"),
            ("locations.1.x", "locations.1.x"),
            ("food.stock", "food.stock"),
            ("locations.nowhere.x", "locations.nowhere.x"),
            ("airdrops.0.day", "airdrops.0.day"),
        ] {
            assert_eq!(indexed_path(&root, given), want, "{given}");
        }
    }

    #[test]
    fn refuses_out_of_range_index_and_bad_paths() {
        let mut t: Table = "[[airdrops]]\nday = 1\n".parse().unwrap();
        assert!(
            set_path(&mut t, "airdrops.3.day", Value::Integer(1))
                .unwrap_err()
                .contains("out of range")
        );
        assert!(set_path(&mut t, "airdrops..day", Value::Integer(1)).is_err());
        assert!(split_assignment("noequals").is_err());
        let deep = vec!["a"; MAX_KEY_SEGMENTS + 1].join(".");
        assert!(
            set_path(&mut t, &deep, Value::Integer(1))
                .unwrap_err()
                .contains("at most 16")
        );
        assert!(t.get("a").is_none(), "nothing is built for a refused path");
    }

    #[test]
    fn names_the_first_absent_element_only() {
        let t: Table = "airdrops = []\n[[locations]]\nid = \"a\"\n[food]\nstock_days_mean = 5.0\n"
            .parse()
            .unwrap();
        let absent = |p: &str| absent_element(&t, p);
        assert_eq!(absent("airdrops.0.usable_fraction").as_deref(), Some("airdrops.0"));
        assert_eq!(absent("convoys.1.day").as_deref(), Some("convoys.1"));
        assert_eq!(absent("locations.3.capacity").as_deref(), Some("locations.3"));
        assert_eq!(absent("locations.b.capacity").as_deref(), Some("locations.b"));
        // Elements that exist, keys left to their defaults, tables set_path creates: none absent.
        for present in [
            "locations.0.capacity",
            "locations.a.capacity",
            "food.stock_days_mean",
            "food.grain_kcal_per_kg",
            "disease.diarrhoea.duration_days",
        ] {
            assert_eq!(absent(present), None, "{present}");
        }
    }
}
