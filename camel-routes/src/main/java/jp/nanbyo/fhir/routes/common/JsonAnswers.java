package jp.nanbyo.fhir.routes.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The operators' HTTP endpoints and the reports filed beside imported lists are plain JSON alike: UTF-8, indented, times as ISO-8601 text. */
public final class JsonAnswers {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private JsonAnswers() {
    }

    public static ResponseEntity<String> of(HttpStatus status, Object body) {
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.APPLICATION_JSON, StandardCharsets.UTF_8))
                .body(text(body));
    }

    /** What the operators' endpoints answer besides a report: a status, the message in Japanese and English, and the reason of a failure, if any. */
    public static Map<String, String> message(String status, String messageJa, String messageEn, String failure) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("status", status);
        answer.put("messageJa", messageJa);
        answer.put("messageEn", messageEn);
        if (failure != null) {
            answer.put("failure", failure);
        }
        return answer;
    }

    public static String text(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
