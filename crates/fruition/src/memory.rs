//! The allocator's share of the server's memory (glibc; elsewhere these do nothing).
//!
//! glibc gives each thread that allocates an arena of its own, up to eight per core, and keeps
//! what is freed in them for reuse. A server has a few dozen threads (the runtime's, SQLite's
//! connections, the search index's writer and merger), so start-up work — reading the
//! migrations, loading the dictionary, rebuilding the search index — would leave memory held in
//! many arenas for the life of the process. Measured in bench/README.md ("Idle memory").

/// Allows at most one arena per core (glibc's default is eight per core). Call before any
/// thread starts.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets an allocator parameter; M_ARENA_MAX takes any positive count.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

/// Gives the memory freed so far back to the operating system (after start-up: the index
/// rebuild's buffers, the migrations' and the seeding's temporary data).
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}
