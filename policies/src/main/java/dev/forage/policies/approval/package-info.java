/**
 * Human approvals for spends that a policy marks require_approval: requests bound to one
 * intent digest, approved or denied by an approver id with a reason, denied when expired.
 */
package dev.forage.policies.approval;
