package eplua.net.mqtt;

/** A failure reported to Lua as an error string ("closed", "refused: ...", "timeout: ..."); no stack trace needed. */
final class MqttException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MqttException(String message) {
        super(message, null, false, false);
    }
}
