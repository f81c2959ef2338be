//! The one CSV writer: every CSV file rappel writes is rows of strings through it (numbers
//! formatted by [`super::num`]).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

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

/// Rows streamed to a file on disk.
pub type FileRows = Rows<BufWriter<File>>;

impl Rows<BufWriter<File>> {
    /// Rows written to the file at `path`, created (or truncated).
    pub fn create(path: &Path) -> std::io::Result<Self> {
        Ok(Self::new(BufWriter::new(File::create(path)?)))
    }

    /// Flushes the rows to disk.
    pub fn close(self) -> std::io::Result<()> {
        self.finish()?.flush()
    }
}
