package io.earshot.ingest;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** New stream ids: {@code <UTC start time>-<8 random hex digits>}, e.g. {@code 20261124T225800Z-7f3a91c2}. */
public final class StreamIds {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private StreamIds() {
    }

    /** A fresh id: readable start time for operators, random suffix so two starts in one second differ. */
    public static String newStreamId(Instant start) {
        return FORMAT.format(start) + "-" + String.format("%08x", RANDOM.nextInt());
    }
}
