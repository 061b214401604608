/**
 * What every remote inference adapter shares: {@link dev.forage.tools.inference.remote.Answers}
 * parses a provider's raw answer and checks it against the request (vector count, index order,
 * dimension, finiteness, model name, token usage), raising a typed, non-retriable
 * {@link dev.forage.tools.inference.InferenceException} for each way it can be wrong, and
 * digests the raw bytes as evidence.
 */
package dev.forage.tools.inference.remote;
