package dev.licensor.server.license;

import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Entitlement strings, stored as a JSON array in a text column on both databases. */
final class Features {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

    private Features() {}

    static String write(List<String> features) {
        return JSON.writeValueAsString(features);
    }

    static List<String> read(String json) {
        return JSON.readValue(json, LIST);
    }
}
