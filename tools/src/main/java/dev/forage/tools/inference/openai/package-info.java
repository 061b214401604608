/**
 * OpenAI-compatible inference endpoints as one adapter,
 * {@link dev.forage.tools.inference.openai.OpenAiCompatibleProvider}, configured per provider by
 * {@link dev.forage.tools.inference.openai.OpenAiCompatibleConfig} with presets for Together AI,
 * io.net IO Intelligence, Chutes (Bittensor SN64) and a generic endpoint (OpenAI, vLLM, the
 * devnet nodes). The providers agree on {@code POST embeddings} and {@code POST
 * chat/completions}; they disagree on how models and prices are listed, which
 * {@link dev.forage.tools.inference.openai.ModelListing} spells out.
 *
 * <h2>Why not LangChain4j's {@code OpenAiEmbeddingModel} / {@code OpenAiChatModel}</h2>
 *
 * They were evaluated (langchain4j-open-ai 1.19.0) and do not fit, for reasons of checking, not
 * of transport. The raw body could be had: a custom {@code dev.langchain4j.http.client.HttpClient}
 * sees {@code SuccessfulHttpResponse.bodyBytes()}. But the parsed results lose what the checks
 * need, so every answer would have to be parsed a second time from those bytes, and LangChain4j
 * would only serialize a two-field request:
 * <ul>
 *   <li>{@code OpenAiEmbeddingModel.embedTexts} maps {@code response.data()} in array order and
 *       drops each item's {@code index}: an answer listed out of order comes back silently
 *       permuted, and a repeated index cannot be seen;</li>
 *   <li>its {@code doEmbed} reports {@code getOrDefault(responseModelName, requested)}: an answer
 *       that names no model reads as the requested one;</li>
 *   <li>it returns whatever number of vectors the answer holds, and reads values as
 *       {@code List<Float>}, so {@code 1e39} becomes {@code Infinity} without a word;</li>
 *   <li>{@code OpenAiChatModel} comes closer: it refuses an answer with no or several choices,
 *       but as {@code InternalServerException}, a {@code RetriableException} (its class for HTTP
 *       5xx), so a wrong answer would be retried as if the server had failed; and it maps
 *       {@code finish_reason} to an enum, an unknown one (TGI's {@code eos_token}) to null;</li>
 *   <li>it splits inputs into batches of {@code maxSegmentsPerBatch} (several answers, several
 *       digests for one result), retries on its own ({@code maxRetries}, default 2) outside
 *       {@link dev.forage.tools.http.ProviderResilience}, and reads the whole body with no cap;</li>
 *   <li>the model lists are none of them LangChain4j's concern.</li>
 * </ul>
 * {@code LangChain4jFitTest} (tools test sources) runs {@code OpenAiEmbeddingModel} and
 * {@code OpenAiChatModel} against the same stubs as this adapter and asserts each of the first
 * four points next to this adapter's answer, so the evaluation is re-checked when LangChain4j is
 * upgraded. One client path for both kinds keeps one set of checks and one error mapping. The adapter uses
 * {@link dev.forage.tools.http.JsonApi} (key by environment variable name, response cap, typed
 * HTTP errors with the provider's body) inside the provider's resilience stack instead; a planner
 * that wants a LangChain4j {@code ChatModel} can still point one at the same base URL.
 */
package dev.forage.tools.inference.openai;
