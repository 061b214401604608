/**
 * Ritual Infernet nodes as an {@link dev.forage.tools.inference.InferenceProvider}: embeddings run
 * as off-chain jobs through the node's REST API (submit, poll until success or failure on an
 * injected clock, batches with one outcome per job), routed to containers by
 * {@link dev.forage.tools.inference.ritual.RitualRoute} and read with a configurable
 * {@link dev.forage.tools.inference.ritual.JobShape}; guardian rejections, enqueue failures and
 * failed jobs are typed errors.
 */
package dev.forage.tools.inference.ritual;
