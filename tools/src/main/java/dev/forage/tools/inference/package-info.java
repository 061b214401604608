/**
 * Dispatching inference: the {@link dev.forage.tools.inference.InferenceProvider} SPI that
 * OpenAI-compatible endpoints (Together AI, io.net IO Intelligence, Chutes, the devnet nodes),
 * Ritual Infernet nodes and the local ONNX models implement, with requests, results, token
 * usage and prices as {@link dev.forage.policies.Money}.
 */
package dev.forage.tools.inference;
