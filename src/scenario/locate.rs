//! Finds where a key path such as `teams[1].serves` stands in a TOML source,
//! so that errors found after parsing still point at a line.

use toml::de::{DeTable, DeValue};

/// Maps key paths of one TOML document to byte offsets.
pub(crate) struct Locator<'a> {
    root: Option<toml::Spanned<DeTable<'a>>>,
}

enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(i) = rest[1..end].parse() {
                out.push(Step::Index(i));
            }
            rest = &rest[end + 1..];
        }
    }
    out
}

impl<'a> Locator<'a> {
    /// Parses `src`; a source that does not parse locates nothing.
    pub(crate) fn new(src: &'a str) -> Self {
        Self {
            root: DeTable::parse(src).ok(),
        }
    }

    /// The byte offset of the deepest part of `path` that exists in the document
    /// (the key itself where it exists, else the nearest enclosing key or table).
    pub(crate) fn offset(&self, path: &str) -> Option<usize> {
        let root = self.root.as_ref()?;
        let mut best = None;
        let mut table: Option<&DeTable<'a>> = Some(root.get_ref());
        let mut value: Option<&DeValue<'a>> = None;
        for step in steps(path) {
            match step {
                Step::Key(k) => {
                    let t = match (table, value) {
                        (Some(t), _) => t,
                        (None, Some(DeValue::Table(t))) => t,
                        _ => break,
                    };
                    let Some((key, v)) = t.get_key_value(k) else {
                        break;
                    };
                    best = Some(key.span().start);
                    table = None;
                    value = Some(v.get_ref());
                }
                Step::Index(i) => {
                    let Some(DeValue::Array(a)) = value else {
                        break;
                    };
                    let Some(v) = a.get(i) else { break };
                    best = Some(v.span().start);
                    table = None;
                    value = Some(v.get_ref());
                }
            }
        }
        best
    }
}
