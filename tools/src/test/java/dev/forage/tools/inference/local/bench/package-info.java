/**
 * Measurements of the local models, run by hand through the {@code bench} Maven profile (not
 * tests): throughput against a plain ONNX Runtime loop, and the cosine distributions that choose
 * the re-execution verifier's threshold.
 */
package dev.forage.tools.inference.local.bench;
