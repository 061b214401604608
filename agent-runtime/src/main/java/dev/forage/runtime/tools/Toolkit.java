package dev.forage.runtime.tools;

import java.util.List;

/** A named group of tools: {@code compute}, {@code inference}, {@code payments}. */
public interface Toolkit {

    /** The toolkit's name, a DNS label. */
    String name();

    /** Its tools. */
    List<AgentTool> tools();
}
