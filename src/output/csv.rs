//! The one CSV writer: every CSV file rappel writes is rows of strings through it (numbers
//! formatted by [`super::num`]).

use std::io::Write;

/// A whole CSV file in memory: the header, then the rows.
pub fn csv_bytes<H, R, F>(header: H, rows: impl IntoIterator<Item = R>) -> Vec<u8>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
    R: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let mut w = Rows::new(Vec::new());
    // Writing to memory cannot fail.
    w.row(header).expect("in-memory write");
    for r in rows {
        w.row(r).expect("in-memory write");
    }
    w.finish().expect("in-memory flush")
}

/// The header line of a CSV file whose rows are written elsewhere (e.g. streamed with [`Rows`]).
pub fn header_line<H>(header: H) -> Vec<u8>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
{
    csv_bytes(header, std::iter::empty::<[&str; 0]>())
}

/// Rows streamed to a writer, without a header.
#[derive(Debug)]
pub struct Rows<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> Rows<W> {
    /// Rows written to `out`.
    pub fn new(out: W) -> Self {
        Self {
            w: csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(out),
        }
    }

    /// Writes one row.
    pub fn row<I>(&mut self, fields: I) -> std::io::Result<()>
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        self.w.write_record(fields).map_err(std::io::Error::from)
    }

    /// Flushes the rows and returns the writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}
