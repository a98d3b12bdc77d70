//! The record readers and writers on any bytes, in every format: no panic, and every row read is written.
#![no_main]

use libfuzzer_sys::fuzz_target;
use propscan::records::reader::ReadOptions;
use propscan::records::writer::Cell;
use propscan::records::{InputFormat, OutputFormat, RecordReader, RecordWriter};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let format = [InputFormat::Csv, InputFormat::Tsv, InputFormat::Jsonl, InputFormat::Txt][selector as usize % 4];
    let output = [OutputFormat::Csv, OutputFormat::Tsv, OutputFormat::Jsonl][(selector as usize / 4) % 3];
    let options = ReadOptions {
        lossy: selector & 0x40 != 0,
        max_record_bytes: 256,
        tsv_quoted: selector & 0x80 != 0,
        ..ReadOptions::default()
    };
    let input = Box::new(std::io::Cursor::new(body.to_vec()));
    let Ok(mut reader) = RecordReader::from_reader("fuzz", input, format, "text", options) else { return };
    let mut writer = RecordWriter::new(Box::new(std::io::sink()), output, "sink", &["score", "error"]);
    let columns = reader.columns().to_vec();
    if !columns.is_empty() {
        let _ = writer.begin(&columns); // as `propscan score` does: JSONL input fixes the layout from its first row
    }
    let (mut read, mut written) = (0usize, 0usize);
    while let Ok(Some(record)) = reader.next_record() {
        read += 1;
        let error = match (&record.error, reader.text(&record)) {
            (Some(e), _) => Cell::Text(e.clone()),
            (None, Ok(t)) => Cell::Text(t.chars().take(8).collect()),
            (None, Err(e)) => Cell::Text(e.to_string()),
        };
        if writer.write("fuzz", &record, &columns, &[Cell::Score(0.5), error]).is_ok() {
            written += 1;
        }
    }
    assert_eq!(read, written, "every row read is written");
    let _ = writer.finish();
});
