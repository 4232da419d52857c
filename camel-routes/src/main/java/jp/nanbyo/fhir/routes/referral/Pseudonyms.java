package jp.nanbyo.fhir.routes.referral;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hl7.fhir.r4.model.Patient;

/**
 * Stable pseudonyms of our patients for partners: HMAC-SHA-256 of the patient's id under a secret key, so the same
 * patient always gets the same pseudonym (a partner links a second referral to the first) and nobody without the
 * key can go back from a pseudonym to the patient.
 */
final class Pseudonyms {

    private final String system;
    private final byte[] key;

    Pseudonyms(String system, String key) {
        this.system = system;
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    String system() {
        return system;
    }

    String of(Patient patient) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(("Patient/" + patient.getIdElement().getIdPart()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
