package dev.forage.tools.inference.openai;

import dev.forage.tools.inference.ModelInfo;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * How a provider lists its models, and where the prices are in the list. The OpenAI-compatible
 * providers agree on inference but not on this: Together answers a bare array, io.net a
 * paginated object, Chutes lists on its management host in pages, OpenAI (and the devnet nodes)
 * the {@code {object:"list", data:[…]}} envelope.
 */
public sealed interface ModelListing {

    /** The most pages walked before a listing is refused as endless. */
    int DEFAULT_MAX_PAGES = 20;

    /**
     * OpenAI's envelope: {@code GET models} answers {@code {object:"list", data:[{id, object:"model", …}]}}.
     * OpenAI publishes no prices there; an item's {@code pricing:{input, output}} (USD per million
     * tokens, Together's fields) is read when present, and its {@code type} as the kind.
     *
     * @param path relative to the inference base URL, normally {@code models}
     */
    record Envelope(String path) implements ModelListing {
        public Envelope {
            requirePath(path);
        }
    }

    /**
     * Together AI: {@code GET models} answers a bare array of {@code {id, object:"model", created,
     * type, display_name, organization, license, context_length, pricing:{hourly, input, output,
     * base, finetune}}}; {@code input} and {@code output} are USD per million tokens.
     *
     * @param path relative to the inference base URL, normally {@code models}
     */
    record BareArray(String path) implements ModelListing {
        public BareArray {
            requirePath(path);
        }
    }

    /**
     * io.net IO Intelligence: {@code GET models?page=&page_size=} (pages from 1, at most 100 a
     * page) answers {@code {data:[{model_id, name, status, metadata:{enable_api_embeddings,
     * enable_api_chat_completions, input_token_price, output_token_price, …}}], pagination:{total,
     * page, page_size, total_pages, has_next, has_previous}}}. The prices are decimal strings
     * whose unit the OpenAPI document does not state: {@code tokensPerPrice} says how many tokens
     * one price is for.
     *
     * @param path relative to the inference base URL, normally {@code models}
     * @param pageSize 1 to 100
     * @param maxPages the most pages walked; a longer listing is refused as endless
     * @param tokensPerPrice how many tokens a listed price pays for (1,000,000 for per-million prices)
     */
    record Paginated(String path, int pageSize, int maxPages, long tokensPerPrice) implements ModelListing {
        public Paginated {
            requirePath(path);
            if (pageSize < 1 || pageSize > 100) {
                throw new IllegalArgumentException("io.net page_size " + pageSize + " must be 1 to 100");
            }
            requireMaxPages(maxPages);
            if (tokensPerPrice < 1) {
                throw new IllegalArgumentException("tokensPerPrice " + tokensPerPrice + " must be at least 1");
            }
        }
    }

    /**
     * Chutes: the management API ({@code https://api.chutes.ai}, same key) lists chutes with
     * {@code GET chutes/?include_public=true&page=&limit=} (pages from 0) answering
     * {@code {total, page, limit, items:[{chute_id, name, standard_template,
     * current_estimated_price:{per_million_tokens:{input:{usd}, output:{usd}}}}]}}; a chute's
     * {@code name} is the model id used for inference.
     *
     * @param baseUrl the management API's base URL
     * @param path relative to it, normally {@code chutes/}
     * @param limit items per page (Chutes answers 25 when not asked; the preset asks for 100)
     * @param maxPages the most pages walked; a longer listing is refused as endless
     */
    record Pages(URI baseUrl, String path, int limit, int maxPages) implements ModelListing {
        public Pages {
            Objects.requireNonNull(baseUrl, "baseUrl");
            requirePath(path);
            if (limit < 1 || limit > 500) {
                throw new IllegalArgumentException("Chutes page limit " + limit + " must be 1 to 500");
            }
            requireMaxPages(maxPages);
        }

        /** The same listing on another host (a test server, a proxy). */
        public Pages at(String url) {
            return new Pages(URI.create(url.endsWith("/") ? url : url + "/"), path, limit, maxPages);
        }
    }

    /**
     * No remote listing: these models, with these prices (a provider without {@code GET
     * models}, or prices agreed out of band).
     */
    record Fixed(List<ModelInfo> models) implements ModelListing {
        public Fixed {
            models = List.copyOf(models);
        }
    }

    /** OpenAI's envelope at {@code models}. */
    static ModelListing envelope() {
        return new Envelope("models");
    }

    /** Together's bare array at {@code models}. */
    static ModelListing bareArray() {
        return new BareArray("models");
    }

    /** io.net's pages at {@code models}, 100 a page, prices per million tokens. */
    static ModelListing paginated() {
        return new Paginated("models", 100, DEFAULT_MAX_PAGES, 1_000_000);
    }

    /** Chutes' pages on {@code https://api.chutes.ai/chutes/}, 100 a page, at most 50 pages. */
    static Pages chutes() {
        return new Pages(URI.create("https://api.chutes.ai/"), "chutes/", 100, 50);
    }

    private static void requirePath(String path) {
        if (path == null || path.startsWith("/") || path.isBlank()) {
            throw new IllegalArgumentException("listing path '" + path + "' must be relative (no leading '/')");
        }
    }

    private static void requireMaxPages(int maxPages) {
        if (maxPages < 1 || maxPages > 1000) {
            throw new IllegalArgumentException("maxPages " + maxPages + " must be 1 to 1000");
        }
    }
}
