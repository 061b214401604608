package dev.forage.tools.inference.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.forage.policies.Asset;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.http.ProviderResilience;
import dev.forage.tools.inference.InferenceException;
import dev.forage.tools.inference.InferenceException.Reason;
import dev.forage.tools.inference.InferenceRequest;
import dev.forage.tools.inference.InferenceResult;
import dev.forage.tools.inference.ModelInfo;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Why {@link OpenAiCompatibleProvider} does not build on LangChain4j's OpenAI models (see the
 * package documentation): against the same wrong answers, LangChain4j 1.19.0's
 * {@link OpenAiEmbeddingModel} and {@link OpenAiChatModel} return a value where the adapter must
 * refuse. Each test shows both. If an upgrade makes one of them fail, LangChain4j has started
 * checking that point and the decision is worth revisiting.
 */
class LangChain4jFitTest {

    static final String MODEL = "sentence-transformers/all-MiniLM-L6-v2";
    static final String CHAT = "Qwen/Qwen2.5-0.5B-Instruct";
    static final String KEY = "test-key-not-a-secret";
    static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    static final String USAGE = "{\"prompt_tokens\":4,\"total_tokens\":4}";

    WireMockServer wm;

    @BeforeEach
    void start() {
        wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    void answerEmbeddings(String body) {
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    EmbeddingResponse langChain4j(String... inputs) {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(wm.baseUrl() + "/v1").apiKey(KEY)
                .modelName(MODEL).maxRetries(0).build();
        return model.embed(EmbeddingRequest.builder().inputs(inputs).build());
    }

    OpenAiCompatibleProvider forage() {
        OpenAiCompatibleConfig config = OpenAiCompatibleConfig.openAi("devnet", wm.baseUrl() + "/v1",
                        ApiKey.fromEnv("FORAGE_TEST_INFERENCE_KEY", Map.of("FORAGE_TEST_INFERENCE_KEY", KEY)::get), USDC)
                .withListing(new ModelListing.Fixed(List.of(new ModelInfo(MODEL, "embedding", Optional.empty()))))
                .withResilience(ProviderResilience.Settings.defaults().withoutBackoff());
        return new OpenAiCompatibleProvider(config, OpenAiWireContract.HTTP, Clock.systemUTC());
    }

    @Test
    void anAnswerListedOutOfIndexOrderComesBackPermutedFromLangChain4j() {
        answerEmbeddings("{\"object\":\"list\",\"model\":\"" + MODEL + "\",\"usage\":" + USAGE + ",\"data\":["
                + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.4,0.5]},"
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]}]}");

        assertThat(langChain4j("first", "second").embeddings().get(0).vector()).as("LangChain4j: array order")
                .containsExactly(0.4f, 0.5f);
        InferenceResult ours = forage().run(new InferenceRequest.Embeddings(MODEL, List.of("first", "second")));
        assertThat(ours.embeddings().vectors().get(0)).as("Forage: index order").containsExactly(0.1f, 0.2f);
    }

    @Test
    void anAnswerNamingNoModelReadsAsTheRequestedModelInLangChain4j() {
        answerEmbeddings("{\"object\":\"list\",\"usage\":" + USAGE + ",\"data\":["
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]}]}");

        assertThat(langChain4j("only").modelName()).isEqualTo(MODEL);
        assertThatThrownBy(() -> forage().run(new InferenceRequest.Embeddings(MODEL, List.of("only"))))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    @Test
    void moreVectorsThanInputsWithARepeatedIndexPassLangChain4j() {
        answerEmbeddings("{\"object\":\"list\",\"model\":\"" + MODEL + "\",\"usage\":" + USAGE + ",\"data\":["
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]},"
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.3,0.4]},"
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,0.6]}]}");

        assertThat(langChain4j("a", "b").embeddings()).hasSize(3);
        assertThatThrownBy(() -> forage().run(new InferenceRequest.Embeddings(MODEL, List.of("a", "b"))))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_COUNT));
    }

    @Test
    void aValueBeyondTheFloatRangeBecomesInfinityInLangChain4j() {
        answerEmbeddings("{\"object\":\"list\",\"model\":\"" + MODEL + "\",\"usage\":" + USAGE + ",\"data\":["
                + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[1e39,0.2]}]}");

        assertThat(langChain4j("x").embeddings().get(0).vector()[0]).isInfinite();
        assertThatThrownBy(() -> forage().run(new InferenceRequest.Embeddings(MODEL, List.of("x"))))
                .isInstanceOfSatisfying(InferenceException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FINITE));
    }

    void answerChat(String choices) {
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"c1\",\"object\":\"chat.completion\","
                        + "\"created\":1,\"model\":\"" + CHAT + "\",\"choices\":[" + choices + "],"
                        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}")));
    }

    ChatResponse langChain4jChat() {
        return OpenAiChatModel.builder().baseUrl(wm.baseUrl() + "/v1").apiKey(KEY).modelName(CHAT).maxRetries(0).build()
                .chat(UserMessage.from("2+2?"));
    }

    InferenceResult forageChat() {
        return forage().run(new InferenceRequest.Chat(CHAT, List.of(new InferenceRequest.Message("user", "2+2?")),
                OptionalInt.empty(), OptionalDouble.empty()));
    }

    @Test
    void anUnknownFinishReasonIsLostInLangChain4j() {
        answerChat("{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"4\"},\"finish_reason\":\"eos_token\"}");

        ChatResponse theirs = langChain4jChat();
        assertThat(theirs.aiMessage().text()).isEqualTo("4");
        assertThat(theirs.finishReason()).as("'eos_token' has no FinishReason").isNull();
        assertThat(forageChat().output()).isEqualTo(new InferenceResult.Completion("4", "eos_token"));
    }

    @Test
    void severalChoicesAreAServerErrorInLangChain4jAndAWrongAnswerHere() {
        answerChat("{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"4\"},\"finish_reason\":\"stop\"},"
                + "{\"index\":1,\"message\":{\"role\":\"assistant\",\"content\":\"5\"},\"finish_reason\":\"stop\"}");

        // LangChain4j refuses it, but as InternalServerException: its class for HTTP 5xx, which its retry policy retries.
        assertThatThrownBy(this::langChain4jChat).isInstanceOf(InternalServerException.class);
        assertThatThrownBy(this::forageChat).isInstanceOfSatisfying(InferenceException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.WRONG_COUNT);
            assertThat(e.retriable()).isFalse();
        });
    }
}
