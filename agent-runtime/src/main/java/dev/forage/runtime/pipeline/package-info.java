/**
 * The governed chain every action passes, from a proposed spend to a settled, audited result:
 * {@link dev.forage.runtime.pipeline.GovernedChain} runs small
 * {@link dev.forage.runtime.pipeline.Step}s in order (replay, decide, approval, reserve,
 * post-or-void, authorize, execute, verify, settle, feedback) and ends every action in one
 * {@link dev.forage.runtime.pipeline.Outcome}; the
 * {@link dev.forage.runtime.pipeline.PolicyPaymentGuard} lets a signature happen only for an
 * intent the chain authorised.
 */
package dev.forage.runtime.pipeline;
