package jp.nanbyo.fhir.routes.common;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * A parameter of the operators' endpoints (upload, sync, outbox) that cannot be read is a 400 in the same JSON as their
 * other answers, naming the parameter, the value and what is accepted; Spring's own answer names none of them.
 */
@RestControllerAdvice(basePackages = "jp.nanbyo.fhir.routes")
public class BadParameterAnswers {

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<String> unreadable(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        boolean yesNo = type == boolean.class || type == Boolean.class;
        String acceptedJa = yesNo ? "true または false" : "整数";
        String acceptedEn = yesNo ? "true or false" : "a whole number";
        return JsonAnswers.of(HttpStatus.BAD_REQUEST, JsonAnswers.message("bad-request",
                "%s の値「%s」を読めません。%s を指定してください。".formatted(e.getName(), e.getValue(), acceptedJa),
                "%s: cannot read \"%s\"; give %s.".formatted(e.getName(), e.getValue(), acceptedEn), null));
    }
}
