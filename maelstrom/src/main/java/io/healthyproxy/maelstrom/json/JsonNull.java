package io.healthyproxy.maelstrom.json;

public enum JsonNull implements JsonValue {
    INSTANCE;

    @Override
    public String typeName() {
        return "null";
    }
}
