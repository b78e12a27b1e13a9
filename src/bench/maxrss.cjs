// Preloaded (`node -r`) into the processes the benchmark measures: prints the process's peak
// resident memory (ru_maxrss, KB; worker threads included, they share the process) as it exits.
process.on('exit', () => {
  try {
    process.stderr.write(`\napspec-bench-maxrss-kb ${process.resourceUsage().maxRSS}\n`);
  } catch {
    // stderr already closed: nothing to report to
  }
});
