//! Looks inside an OLE (.xls) file before calamine opens it.
//!
//! An .xls is not compressed, but calamine's reader trusts it: it follows sector chains until
//! they end (a chain that loops grows forever), repeats FAT sectors as often as the file lists
//! them, reserves room for the cells a `DIMENSIONS` record claims, lays out every sheet as a
//! block from its first to its last cell (two cells a million rows apart make a block of
//! billions), and copies a shared string into every cell that uses it. All of this happens as
//! the workbook is opened, for every sheet.
//!
//! So this module repeats calamine's steps (its `cfb.rs` and `xls.rs`, calamine 0.38) on the
//! bytes, counting instead of allocating, and refuses the file as soon as a count passes a
//! bound. Where calamine would stop with an error, this stops too and lets calamine report it.

use std::collections::VecDeque;

use crate::error::{Limit, SheetError};
use crate::read::ReadOptions;

const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;

/// CONTINUE records one record may carry (calamine keeps them in a list it takes from the
/// front, so their number costs time squared): 32,768 is 256 MB of continued data.
const MAX_CONTINUES: usize = 32_768;

fn too_large(what: Limit, limit: u64) -> SheetError {
    SheetError::TooLarge { what, limit }
}

fn looping() -> SheetError {
    SheetError::Corrupt("OLE sector chain loops or repeats".into())
}

/// Checks an OLE file against the limits. `Ok` when it passes or when calamine will fail on it
/// anyway (no workbook stream, a damaged header).
pub(crate) fn check_ole(bytes: &[u8], o: &ReadOptions) -> Result<(), SheetError> {
    match workbook_stream(bytes, o)? {
        Some(stream) => check_biff(&stream, o),
        None => Ok(()),
    }
}

/// calamine's `Sectors`: the file read front to back into `data` as sectors are asked for.
struct Sectors {
    data: Vec<u8>,
    size: usize,
    maxid: u32,
}

/// The file after the bytes already consumed, read as calamine's `Read` would be.
struct Reader<'a> {
    rest: &'a [u8],
}

impl Reader<'_> {
    fn read(&mut self, out: &mut [u8]) -> usize {
        let n = out.len().min(self.rest.len());
        out[..n].copy_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        n
    }
}

impl Sectors {
    /// `None` where calamine returns an error (or panics).
    fn get(&mut self, id: u32, r: &mut Reader<'_>) -> Option<&[u8]> {
        if self.maxid < id {
            return None;
        }
        let start = id as usize * self.size;
        let end = start + self.size;
        if end > self.data.len() {
            let mut len = self.data.len();
            self.data.resize(end, 0);
            while len < end {
                let read = r.read(&mut self.data[len..end]);
                if read == 0 {
                    return self.data.get(start..len);
                }
                len += read;
            }
        }
        Some(&self.data[start..end])
    }

    /// calamine's `get_chain`, refusing a chain that visits more sectors than the file has
    /// (it must loop) or that would grow past `cap` bytes.
    fn chain(
        &mut self,
        mut id: u32,
        fats: &[u32],
        r: &mut Reader<'_>,
        len: usize,
        max_steps: usize,
    ) -> Result<Option<Vec<u8>>, SheetError> {
        let mut chain = Vec::new();
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > max_steps {
                return Err(looping());
            }
            let Some(sector) = self.get(id, r) else {
                return Ok(None);
            };
            let remaining = len - chain.len();
            let n = sector.len().min(remaining);
            chain.extend_from_slice(&sector[..n]);
            if chain.len() >= len {
                break;
            }
            let Some(&next) = fats.get(id as usize) else {
                return Ok(None);
            };
            id = next;
        }
        Ok(Some(chain))
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The "Workbook" (or "Book") stream as calamine's `Cfb::new` and `get_stream` would read it.
fn workbook_stream(bytes: &[u8], o: &ReadOptions) -> Result<Option<Vec<u8>>, SheetError> {
    let Some(header) = bytes.get(..512) else {
        return Ok(None);
    };
    let mut r = Reader {
        rest: &bytes[512..],
    };
    let version = u16_at(header, 26).unwrap_or(0);
    let sector_size = match u16_at(header, 30) {
        Some(0x0009) => 512,
        Some(0x000C) => {
            let mut skip = vec![0u8; 4096 - 512];
            if r.read(&mut skip) < skip.len() {
                return Ok(None);
            }
            4096
        }
        _ => return Ok(None),
    };
    if u16_at(header, 32) != Some(0x0006) {
        return Ok(None);
    }
    let len = bytes.len();
    let maxid = len / sector_size;
    // A chain cannot visit more distinct sectors than the file holds.
    let max_steps = maxid + 1;
    let dir_start = u32_at(header, 48).unwrap_or(0);
    let mini_fat_start = u32_at(header, 60).unwrap_or(0);
    let mini_fat_len = u32_at(header, 64).unwrap_or(0) as usize;
    let difat_start = u32_at(header, 68).unwrap_or(0);
    let mut difat: Vec<u32> = header[76..512]
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mut sectors = Sectors {
        data: Vec::with_capacity(1024),
        size: sector_size,
        maxid: maxid as u32,
    };

    let mut sector_id = difat_start;
    let mut difat_sectors = 0usize;
    while sector_id < RESERVED_SECTORS {
        difat_sectors += 1;
        if difat_sectors > maxid.saturating_add(1) {
            return Ok(None);
        }
        let Some(sector) = sectors.get(sector_id, &mut r) else {
            return Ok(None);
        };
        difat.extend(
            sector
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        let Some(next) = difat.pop() else {
            return Ok(None);
        };
        sector_id = next;
    }

    // calamine appends one sector to the FAT per listed FAT sector, repeats included.
    let fat_sectors = difat.iter().filter(|id| **id < DIFSECT).count();
    if fat_sectors > max_steps {
        return Err(looping());
    }
    let mut fats: Vec<u32> = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        let Some(sector) = sectors.get(id, &mut r) else {
            return Ok(None);
        };
        fats.extend(
            sector
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
    }

    let Some(dirs) = sectors.chain(dir_start, &fats, &mut r, usize::MAX, max_steps)? else {
        return Ok(None);
    };
    let dirs: Vec<(String, u32, u64)> = dirs
        .chunks(128)
        .filter(|c| c.len() == 128)
        .map(|c| {
            let units: Vec<u16> = c[..64]
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            let mut name = String::from_utf16_lossy(&units);
            if let Some(l) = name.as_bytes().iter().position(|b| *b == 0) {
                name.truncate(l);
            }
            let start = u32_at(c, 116).unwrap_or(0);
            let size = if sector_size == 512 {
                u64::from(u32_at(c, 120).unwrap_or(0))
            } else {
                u64_at(c, 120).unwrap_or(0)
            };
            (name, start, size)
        })
        .collect();
    let Some(root) = dirs.first() else {
        return Ok(None);
    };
    if version != 3 && root.1 == ENDOFCHAIN {
        return Ok(None);
    }

    let (mini_fats, ministream) = if mini_fat_len > 0 {
        let Ok(root_len) = usize::try_from(root.2) else {
            return Ok(None);
        };
        let Some(ministream) = sectors.chain(root.1, &fats, &mut r, root_len, max_steps)? else {
            return Ok(None);
        };
        let Some(minifat) = sectors.chain(
            mini_fat_start,
            &fats,
            &mut r,
            mini_fat_len.saturating_mul(sector_size),
            max_steps,
        )?
        else {
            return Ok(None);
        };
        let minifat: Vec<u32> = minifat
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        (minifat, ministream)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut mini = Sectors {
        data: ministream,
        size: 64,
        maxid: (maxid * 8) as u32,
    };

    for name in ["Workbook", "Book"] {
        let Some((_, start, size)) = dirs
            .iter()
            .find(|d| d.0.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
        else {
            continue;
        };
        if *size > o.max_part_size {
            return Err(too_large(Limit::PartSize, o.max_part_size));
        }
        let size = *size as usize;
        let stream = if size < 4096 {
            mini.chain(
                *start,
                &mini_fats,
                &mut r,
                size,
                max_steps.saturating_mul(8),
            )?
        } else {
            sectors.chain(*start, &fats, &mut r, size, max_steps)?
        };
        return Ok(stream);
    }
    Ok(None)
}

/// One BIFF record with its CONTINUE records, as calamine's `RecordIter` gives it.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: VecDeque<&'a [u8]>,
}

impl Record<'_> {
    fn next_cont(&mut self) -> bool {
        match self.cont.pop_front() {
            Some(d) => {
                self.data = d;
                true
            }
            None => false,
        }
    }
}

/// The next record, `Ok(None)` at the end or where calamine stops with an error.
fn next_record<'a>(stream: &mut &'a [u8]) -> Result<Option<Record<'a>>, SheetError> {
    let s = *stream;
    if s.len() < 4 {
        return Ok(None);
    }
    let typ = u16::from_le_bytes([s[0], s[1]]);
    let len = u16::from_le_bytes([s[2], s[3]]) as usize;
    if s.len() < len + 4 {
        return Ok(None);
    }
    let data = &s[4..4 + len];
    let mut rest = &s[4 + len..];
    let mut cont = VecDeque::new();
    if rest.len() > 4 && u16::from_le_bytes([rest[0], rest[1]]) == 0x003C {
        while rest.len() > 4 && u16::from_le_bytes([rest[0], rest[1]]) == 0x003C {
            let l = u16::from_le_bytes([rest[2], rest[3]]) as usize;
            if rest.len() < l + 4 {
                return Ok(None);
            }
            cont.push_back(&rest[4..4 + l]);
            if cont.len() > MAX_CONTINUES {
                return Err(SheetError::Corrupt("too many CONTINUE records".into()));
            }
            rest = &rest[4 + l..];
        }
    }
    *stream = rest;
    Ok(Some(Record { typ, data, cont }))
}

/// Bounding box of cell positions: the block calamine's `Range::from_sparse` lays out.
#[derive(Default)]
struct Bounds {
    rows: Option<(u32, u32)>,
    cols: (u32, u32),
}

impl Bounds {
    fn add(&mut self, row: u32, col: u32) {
        match &mut self.rows {
            None => {
                self.rows = Some((row, row));
                self.cols = (col, col);
            }
            Some((r0, r1)) => {
                *r0 = (*r0).min(row);
                *r1 = (*r1).max(row);
                self.cols.0 = self.cols.0.min(col);
                self.cols.1 = self.cols.1.max(col);
            }
        }
    }

    fn area(&self) -> u64 {
        match self.rows {
            None => 0,
            Some((r0, r1)) => {
                u64::from(r1 - r0 + 1).saturating_mul(u64::from(self.cols.1 - self.cols.0 + 1))
            }
        }
    }
}

/// Repeats calamine's `parse_workbook` on the workbook stream, counting: shared strings (and
/// their bytes), then for every sheet the cells it stores, the room it reserves, the blocks it
/// lays out for values and formulas, and the bytes of shared strings copied into cells.
fn check_biff(stream: &[u8], o: &ReadOptions) -> Result<(), SheetError> {
    let max_cells = o.max_cells as u64;
    let cells_over = || too_large(Limit::Cells, max_cells);
    let mut rest = stream;
    let mut sheets: Vec<usize> = Vec::new();
    // Characters of each shared string (a copy takes up to 3 UTF-8 bytes a character).
    let mut strings: Vec<u32> = Vec::new();
    while let Some(mut r) = next_record(&mut rest)? {
        match r.typ {
            0x002F => match u16_at(r.data, 0) {
                Some(0) => {}
                _ => return Ok(()),
            },
            0x0085 => match u32_at(r.data, 0) {
                Some(pos) if r.data.len() >= 6 => sheets.push(pos as usize),
                _ => return Ok(()),
            },
            0x00FC => {
                strings.clear();
                if !sst(&mut r, &mut strings, o)? {
                    return Ok(());
                }
            }
            0x000A => break,
            _ => {}
        }
    }

    let (mut laid_out, mut formulas_laid_out, mut copied) = (0u64, 0u64, 0u64);
    for pos in sheets {
        let Some(mut rest) = stream.get(pos..) else {
            return Ok(());
        };
        let (mut pushed, mut reserved) = (0u64, 0u64);
        let mut values = Bounds::default();
        let mut formulas = Bounds::default();
        let mut fmla_pos = (0u32, 0u32);
        let (mut seen_bof, mut depth) = (false, 0usize);
        while let Some(r) = next_record(&mut rest)? {
            if depth > 0 {
                match r.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let d = r.data;
            let at =
                || -> Option<(u32, u32)> { Some((u16_at(d, 0)?.into(), u16_at(d, 2)?.into())) };
            match r.typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                }
                0x0200 => {
                    let Some(n) = dimensions(d) else {
                        return Ok(());
                    };
                    reserved = reserved.max(pushed.saturating_add(n));
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E => {
                    let Some((row, col)) = at() else {
                        return Ok(());
                    };
                    pushed += 1;
                    values.add(row, col);
                }
                0x0207 => {
                    pushed += 1;
                    values.add(fmla_pos.0, fmla_pos.1);
                }
                0x00FD => {
                    let (Some((row, col)), Some(i)) = (at(), u32_at(d, 6)) else {
                        return Ok(());
                    };
                    if let Some(chars) = strings.get(i as usize) {
                        pushed += 1;
                        values.add(row, col);
                        copied = copied.saturating_add(u64::from(*chars) * 3);
                    }
                }
                0x00BD => {
                    let (Some((row, first)), true) = (at(), d.len() >= 6) else {
                        return Ok(());
                    };
                    let n = ((d.len() - 6) / 6) as u32;
                    if n > 0 {
                        pushed += u64::from(n);
                        values.add(row, first);
                        values.add(row, first.saturating_add(n - 1));
                    }
                }
                0x0006 => {
                    let Some(pos) = at() else {
                        return Ok(());
                    };
                    fmla_pos = pos;
                    pushed += 1;
                    values.add(pos.0, pos.1);
                    formulas.add(pos.0, pos.1);
                }
                0x000A => break,
                _ => {}
            }
            if pushed.max(reserved) > max_cells
                || laid_out.saturating_add(values.area()) > max_cells
                || formulas_laid_out.saturating_add(formulas.area()) > max_cells
            {
                return Err(cells_over());
            }
            if copied > o.max_text_size {
                return Err(too_large(Limit::TextSize, o.max_text_size));
            }
        }
        laid_out = laid_out.saturating_add(values.area());
        formulas_laid_out = formulas_laid_out.saturating_add(formulas.area());
    }
    Ok(())
}

/// The cells calamine reserves room for on a DIMENSIONS record (its arithmetic wraps the way
/// calamine's does in a release build); `None` where calamine stops with an error.
fn dimensions(d: &[u8]) -> Option<u64> {
    let (rf, rl, mut cf, cl) = match d.len() {
        10 => (
            u32::from(u16_at(d, 0)?),
            u32::from(u16_at(d, 2)?),
            u32::from(u16_at(d, 4)?),
            u32::from(u16_at(d, 6)?),
        ),
        14 | 16 => (
            u32_at(d, 0)?,
            u32_at(d, 4)?,
            u32::from(u16_at(d, 8)?),
            u32::from(u16_at(d, 10)?),
        ),
        _ => return None,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) = if 1 <= rl && 1 <= cl {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1) as u64;
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1) as u64;
    Some(rows.saturating_mul(cols))
}

/// calamine's `parse_sst`, counting strings and their characters. `Ok(false)` where calamine
/// stops with an error.
fn sst(r: &mut Record<'_>, strings: &mut Vec<u32>, o: &ReadOptions) -> Result<bool, SheetError> {
    if r.data.len() < 8 {
        return Ok(false);
    }
    r.data = &r.data[8..];
    let mut bytes: u64 = 0;
    while !r.data.is_empty() || r.next_cont() {
        let Some(chars) = rich_string(r) else {
            return Ok(false);
        };
        strings.push(chars);
        if strings.len() > o.max_shared_strings {
            return Err(too_large(Limit::SharedStrings, o.max_shared_strings as u64));
        }
        // A `String` of that many characters: up to 3 UTF-8 bytes each, plus its header.
        bytes = bytes.saturating_add(u64::from(chars) * 3 + 24);
        if bytes > o.max_shared_strings_size {
            return Err(too_large(
                Limit::SharedStringsSize,
                o.max_shared_strings_size,
            ));
        }
    }
    Ok(true)
}

/// calamine's `read_rich_extended_string`: the characters of one string, `None` on an error.
fn rich_string(r: &mut Record<'_>) -> Option<u32> {
    if r.data.is_empty() {
        return Some(0);
    }
    if r.data.len() < 3 {
        return None;
    }
    let cch = u16_at(r.data, 0)? as usize;
    let flags = r.data[2];
    r.data = &r.data[3..];
    let mut high = flags & 0x1 != 0;
    let mut c_run = 0usize;
    let mut cb_ext_rst = 0usize;
    if flags & 0x8 != 0 {
        c_run = u16_at(r.data, 0)? as usize;
        r.data = &r.data[2..];
    }
    if flags & 0x4 != 0 {
        cb_ext_rst = u32_at(r.data, 0)? as i32 as usize;
        r.data = &r.data[4..];
    }
    let mut len = cch;
    while len > 0 {
        let l = if high {
            let l = (r.data.len() / 2).min(len);
            r.data = &r.data[2 * l..];
            l
        } else {
            let l = r.data.len().min(len);
            r.data = &r.data[l..];
            l
        };
        len -= l;
        if len > 0 {
            if !r.next_cont() {
                return None;
            }
            high = *r.data.first()? & 0x1 != 0;
            r.data = &r.data[1..];
        }
    }
    skip(r, c_run * 4)?;
    skip(r, cb_ext_rst)?;
    Some(cch as u32)
}

fn skip(r: &mut Record<'_>, mut len: usize) -> Option<()> {
    while len > 0 {
        if r.data.is_empty() && !r.next_cont() {
            return None;
        }
        let l = len.min(r.data.len());
        r.data = &r.data[l..];
        len -= l;
    }
    Some(())
}
