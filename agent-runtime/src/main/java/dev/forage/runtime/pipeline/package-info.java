/**
 * The governed path from a proposed spend to a payment: the policy decision, the budget
 * reservation, the execution, and posting or voiding, each written to the audit log; and the
 * payment guard that lets a signature happen only for a spend that went through it.
 */
package dev.forage.runtime.pipeline;
