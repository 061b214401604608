/**
 * x402 payments over HTTP, versions 1 and 2, scheme {@code exact} on EVM chains (an EIP-3009
 * {@code TransferWithAuthorization} signed by the agent): the wire types and their JSON and
 * base64 header encodings ({@link dev.forage.tools.x402.X402Codec}), the paying client over
 * {@code java.net.http} ({@link dev.forage.tools.x402.X402Client}), and the facilitator's
 * logic ({@link dev.forage.tools.x402.ExactEvmFacilitator}) with an HTTP client for remote
 * facilitators. Shapes follow coinbase/x402 {@code specs/x402-specification-v2.md},
 * {@code specs/x402-specification-v1.md}, {@code specs/transports-v2/http.md},
 * {@code specs/transports-v1/http.md} and {@code specs/schemes/exact/scheme_exact_evm.md}.
 */
package dev.forage.tools.x402;
