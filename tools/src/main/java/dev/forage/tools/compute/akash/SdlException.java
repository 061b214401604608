package dev.forage.tools.compute.akash;

import dev.forage.tools.ToolException;
import java.util.OptionalInt;

/**
 * An Akash SDL document that cannot be read: not YAML, or YAML that breaks the SDL schema.
 * Never retriable: the same document fails the same way. The message names the source, the
 * line where known and the path of the offending field, e.g.
 * {@code deploy.yaml:23: profiles.compute.gpu-a.resources.gpu.units: must be a whole number of GPUs, 0 or more, got -1}.
 */
public final class SdlException extends ToolException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String path;

    /**
     * @param source the file name or another label for the document ({@code <sdl>} when none)
     * @param line the 1-based line of the offending node, or 0 when unknown
     * @param path the dotted path of the offending field ({@code services.web.expose[0].port}), empty for the whole document
     * @param problem what is wrong and what to do
     */
    public SdlException(String source, int line, String path, String problem) {
        super(message(source, line, path, problem), false);
        this.source = source;
        this.line = line;
        this.path = path;
    }

    /** As {@link #SdlException(String, int, String, String)}, with the parser's failure as cause. */
    public SdlException(String source, int line, String path, String problem, Throwable cause) {
        super(message(source, line, path, problem), false, cause);
        this.source = source;
        this.line = line;
        this.path = path;
    }

    /** The file name or label of the document. */
    public String source() {
        return source;
    }

    /** The 1-based line of the offending node, if known. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The dotted path of the offending field; empty for the document as a whole. */
    public String path() {
        return path;
    }

    private static String message(String source, int line, String path, String problem) {
        return source + (line > 0 ? ":" + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + problem;
    }
}
