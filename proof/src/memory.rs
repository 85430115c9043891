//! The peak resident memory of this process, as Linux keeps it: the bench resets it before a
//! generation it runs by calling the library, and reads it after, so each run is measured on
//! its own without another process reporting it.

use std::fs;

/// Resets this process's peak resident memory to what it holds now (writing `5` to
/// `/proc/self/clear_refs`, Linux 4.0 and later); `false` where that is not possible.
pub fn reset_peak() -> bool {
    fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// This process's peak resident memory since it started or was last reset, in kB (`VmHWM` of
/// `/proc/self/status`), or `None` without `/proc`.
pub fn peak_kb() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_reset_peak_drops_to_what_is_held_now() {
        if !super::reset_peak() {
            eprintln!("skipped: this system cannot reset the peak resident memory");
            return;
        }
        // 64 MiB touched page by page, then freed: the peak holds it until the reset.
        let block = vec![1u8; 64 << 20];
        let held: u64 = block.iter().step_by(4096).map(|b| u64::from(*b)).sum();
        drop(block);
        let before = super::peak_kb().unwrap_or_default();
        assert!(super::reset_peak());
        let after = super::peak_kb().unwrap_or_default();
        assert!(held > 0 && before - after > 32.0 * 1024.0, "peak {before} kB, after the reset {after} kB");
    }
}
