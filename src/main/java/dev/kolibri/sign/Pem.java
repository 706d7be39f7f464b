package dev.kolibri.sign;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One PEM block: its type ({@code PUBLIC KEY}, ...) and its decoded bytes. Headers inside the block are skipped. */
record Pem(String type, byte[] bytes) {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

    /** The first PEM block in {@code text}; {@code source} names the input in errors. */
    static Pem decode(byte[] text, String source) throws KeyException {
        Matcher m = BLOCK.matcher(new String(text, StandardCharsets.US_ASCII));
        if (!m.find()) throw new KeyException("no PEM block in " + source + ": expected a file that starts with '-----BEGIN ...-----'");
        StringBuilder b64 = new StringBuilder();
        for (String line : m.group(2).split("\\r?\\n")) {
            if (line.contains(":")) continue; // RFC 1421 headers, as Go's pem.Decode allows
            b64.append(line.strip());
        }
        try {
            return new Pem(m.group(1), Base64.getDecoder().decode(b64.toString()));
        } catch (IllegalArgumentException e) {
            throw new KeyException("the PEM block '" + m.group(1) + "' in " + source + " is not valid base64: " + e.getMessage(), e);
        }
    }

    /** Encodes as Go's {@code pem.EncodeToMemory} does: 64 characters a line, a final newline. */
    byte[] encode() {
        String b64 = Base64.getEncoder().encodeToString(bytes);
        StringBuilder out = new StringBuilder("-----BEGIN ").append(type).append("-----\n");
        for (int i = 0; i < b64.length(); i += 64) out.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        out.append("-----END ").append(type).append("-----\n");
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
