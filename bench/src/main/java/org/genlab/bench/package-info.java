/**
 * Benchmarks: how fast GenLab trains and samples, how its memory behaves over a long run, and how
 * that compares with PyTorch itself running the same networks.
 *
 * <p>{@link org.genlab.bench.Benchmark} measures the rows (DCGAN and DDPM UNet training steps,
 * GAN/DDPM/DDIM sampling) with {@link org.genlab.bench.Timer} — medians over repeats after warm-up,
 * one device sync per repeat — and {@link org.genlab.bench.ProcMemory} (peak resident memory from
 * {@code /proc}); {@link org.genlab.bench.MemoryStability} runs many small steps in a JVM with a
 * pinned heap and checks that resident memory stops growing. {@link org.genlab.bench.BenchReport}
 * writes the table and the JSON that the Python programs in {@code bench/reference/} write too;
 * {@code bench/run-vs-pytorch} runs both and prints the ratios. Start reading at {@link
 * org.genlab.bench.Benchmark}; the timed work is in {@link org.genlab.bench.work}.
 */
package org.genlab.bench;
