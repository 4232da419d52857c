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

    private static final String YES_NO_JA = "true または false";
    private static final String YES_NO_EN = "true or false";

    /**
     * A yes/no parameter ({@code dryRun}, {@code full}): absent is no, {@code true} or {@code false} (in any case) say
     * which. Spring's boolean binding takes an empty value ({@code dryRun=}, a form field left blank) as the default and
     * the first of two values: for a dry run that would write for real, so both are refused here.
     *
     * @param value the parameter as Spring binds it to a String: null when absent, two values joined by a comma
     */
    public static boolean yesNo(String name, String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new UnreadableParameter(name, value, YES_NO_JA, YES_NO_EN);
    }

    /** A parameter given in a form this endpoint does not read. */
    static final class UnreadableParameter extends RuntimeException {
        final String name;
        final String value;
        final String acceptedJa;
        final String acceptedEn;

        UnreadableParameter(String name, String value, String acceptedJa, String acceptedEn) {
            super(name + ": cannot read \"" + value + "\"");
            this.name = name;
            this.value = value;
            this.acceptedJa = acceptedJa;
            this.acceptedEn = acceptedEn;
        }
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<String> unreadable(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        boolean yesNo = type == boolean.class || type == Boolean.class;
        return unreadable(e.getName(), String.valueOf(e.getValue()), yesNo ? YES_NO_JA : "整数", yesNo ? YES_NO_EN : "a whole number");
    }

    @ExceptionHandler(UnreadableParameter.class)
    public ResponseEntity<String> unreadable(UnreadableParameter e) {
        return unreadable(e.name, e.value, e.acceptedJa, e.acceptedEn);
    }

    private static ResponseEntity<String> unreadable(String name, String value, String acceptedJa, String acceptedEn) {
        return JsonAnswers.of(HttpStatus.BAD_REQUEST, JsonAnswers.message("bad-request",
                "%s の値「%s」を読めません。%s を指定してください。".formatted(name, value, acceptedJa),
                "%s: cannot read \"%s\"; give %s.".formatted(name, value, acceptedEn), null));
    }
}
