package dev.forage.tools.inference.local.bench;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What a measurement ran on, for the reports. */
final class Machine {

    private Machine() {}

    static String describe() {
        String cpu = Optional.ofNullable(read("/proc/cpuinfo")).flatMap(s -> s.lines()
                .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()))
                .orElse("unknown CPU");
        long memGiB = Optional.ofNullable(read("/proc/meminfo")).flatMap(s -> s.lines()
                .filter(l -> l.startsWith("MemTotal")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) >> 20)).orElse(0L);
        return "%s, %d cores, %d GiB RAM, %s %s, JDK %s, ONNX Runtime %s, %d MiB max heap".formatted(cpu,
                Runtime.getRuntime().availableProcessors(), memGiB, System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), OrtEnvironment.getEnvironment().getVersion(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** The 1-minute load average, or NaN where the OS does not tell. */
    static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
