package dev.licensor.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object value = Json.parse(
                " {\"s\":\"x\\\"y\\\\z\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\",\"i\":-42,\"z\":0,\"big\":123456789012345678901234567890,"
                        + "\"d\":1.5e3,\"f\":-0.25,\"t\":true,\"n\":null,\"a\":[1,[],{}],\"o\":{\"k\":false}} ");

        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map.get("s")).isEqualTo("x\"y\\z/\b\f\n\r\té😀");
        assertThat(map.get("i")).isEqualTo(-42L);
        assertThat(map.get("z")).isEqualTo(0L);
        assertThat(map.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(map.get("d")).isEqualTo(new BigDecimal("1.5e3"));
        assertThat(map.get("f")).isEqualTo(new BigDecimal("-0.25"));
        assertThat(map.get("t")).isEqualTo(true);
        assertThat(map.containsKey("n")).isTrue();
        assertThat(map.get("n")).isNull();
        assertThat(map.get("a")).isEqualTo(Arrays.asList(1L, List.of(), Map.of()));
        assertThat(map.get("o")).isEqualTo(Map.of("k", false));
        assertThat(map.keySet()).containsExactly("s", "i", "z", "big", "d", "f", "t", "n", "a", "o");
    }

    @Test
    void readsLongBoundaries() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(new BigInteger("9223372036854775808"));
    }

    @Test
    void writesAndReadsBackTheSameValue() {
        Map<String, Object> original = new LinkedHashMap<>();
        original.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 line-sep \u2028 é 😀");
        original.put("long", Long.MIN_VALUE);
        original.put("decimal", new BigDecimal("3.14159"));
        original.put("flag", false);
        original.put("nothing", null);
        List<Object> list = new ArrayList<>();
        list.add(1L);
        list.add("two");
        list.add(null);
        list.add(Map.of("nested", List.of()));
        original.put("list", list);

        String json = Json.write(original);

        assertThat(json).doesNotContain("\n").contains("\\u0001").contains("\\u2028");
        assertThat(Json.parse(json)).isEqualTo(original);
        assertThat(Json.write(Json.parse(json))).isEqualTo(json);
    }

    @Test
    void writesNumbersBooleansEnumsAndArrays() {
        assertThat(Json.write(List.of(1, 2.0, 2.5, true, EndReason.FORCED))).isEqualTo("[1,2,2.5,true,\"FORCED\"]");
        assertThat(Json.write(new Object[] {"a", null})).isEqualTo("[\"a\",null]");
        assertThat(Json.write("\ud800")).isEqualTo("\"\\ud800\"");
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void objectBuilderLeavesOutNulls() {
        assertThat(Json.write(
                        Json.object().put("a", 1).put("b", null).put("c", "x").build()))
                .isEqualTo("{\"a\":1,\"c\":\"x\"}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "{",
                "}",
                "[1,]",
                "{\"a\":1,}",
                "{\"a\" 1}",
                "{a:1}",
                "{\"a\":1}{}",
                "[1 2]",
                "01",
                "-",
                "1.",
                ".5",
                "1e",
                "+1",
                "NaN",
                "Infinity",
                "tru",
                "nul",
                "\"unterminated",
                "\"bad \\x escape\"",
                "\"\\u12\"",
                "\"\\ud800\"",
                "\"\\udc00\"",
                "\"raw \u0001 control\"",
                "'single'",
                "{\"a\":1,\"a\":2}",
            })
    void rejectsMalformedInput(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(Json.JsonException.class);
    }

    @Test
    void rejectsHostileNestingWithoutOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep))
                .isInstanceOf(Json.JsonException.class)
                .hasMessageContaining("nesting");
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
    }

    @Test
    void errorsSayWhere() {
        assertThatThrownBy(() -> Json.parse("{\"a\":tru}"))
                .isInstanceOfSatisfying(
                        Json.JsonException.class, e -> assertThat(e.offset()).isEqualTo(5));
    }

    @Test
    void parseObjectRefusesOtherValues() {
        assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(Json.JsonException.class);
        assertThat(Json.parseObject("{}")).isEmpty();
    }
}
