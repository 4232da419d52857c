package jp.nanbyo.fhir.server.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.routes.common.JsonAnswers;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * A request outside the FHIR base that names no endpoint, or uses one the wrong way (a GET of the upload, a body it does
 * not take), is answered in the operators' endpoints' JSON, saying what the URL does take and where the list of
 * endpoints is, instead of Spring's bare status. These arise before any controller is chosen, so this advice cannot be
 * limited to our controllers' packages; FHIR requests never reach it (HAPI's servlet answers those).
 */
@RestControllerAdvice
class WebRequestMismatchAnswers {

    private static final String SEE_INDEX_JA = "使える URL の一覧は GET / にあります。";
    private static final String SEE_INDEX_EN = "GET / lists the endpoints.";

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        Set<HttpMethod> supported = e.getSupportedHttpMethods() == null ? Set.of() : e.getSupportedHttpMethods();
        String allowed = supported.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        ResponseEntity<String> answer = JsonAnswers.of(HttpStatus.METHOD_NOT_ALLOWED, JsonAnswers.message("method-not-allowed",
                "この URL は %s を受け付けません。使えるのは %s です。%s".formatted(e.getMethod(), allowed, SEE_INDEX_JA),
                "This URL does not take %s; it takes %s. %s".formatted(e.getMethod(), allowed, SEE_INDEX_EN), null));
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.ALLOW, allowed).body(answer.getBody());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<String> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        String sent = e.getContentType() == null ? "(なし / none)" : e.getContentType().toString();
        String accepted = MediaType.toString(e.getSupportedMediaTypes());
        return JsonAnswers.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, JsonAnswers.message("unsupported-media-type",
                "この URL は Content-Type %s の本文を受け付けません。使えるのは %s です。".formatted(sent, accepted),
                "This URL does not take a body of Content-Type %s; it takes %s.".formatted(sent, accepted), null));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<String> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return JsonAnswers.of(HttpStatus.NOT_ACCEPTABLE, JsonAnswers.message("not-acceptable",
                "この URL は application/json で答えます。Accept に application/json を含めてください。",
                "This URL answers application/json; include it in Accept.", null));
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<String> notFound(HttpServletRequest request) {
        String path = request.getRequestURI();
        return JsonAnswers.of(HttpStatus.NOT_FOUND, JsonAnswers.message("not-found",
                "%s というエンドポイントはありません。FHIR API は /fhir の下にあります。%s".formatted(path, SEE_INDEX_JA),
                "There is no endpoint %s. The FHIR API is under /fhir. %s".formatted(path, SEE_INDEX_EN), null));
    }
}
