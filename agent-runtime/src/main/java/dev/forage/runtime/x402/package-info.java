/**
 * The server side of x402 on the devnet, as Vert.x Web handlers: {@link
 * dev.forage.runtime.x402.X402PaymentHandler} guards a route of a resource server (answers
 * 402 with the payment requirements, verifies and settles a payment through a facilitator,
 * then passes the request on), and {@link dev.forage.runtime.x402.FacilitatorRoutes} /
 * {@link dev.forage.runtime.x402.FacilitatorVerticle} serve a facilitator's {@code POST /verify},
 * {@code POST /settle} and {@code GET /supported}. Facilitator calls block, so they run off the
 * event loop.
 */
package dev.forage.runtime.x402;
