package jp.nanbyo.fhir.routes.sync;

import jp.nanbyo.fhir.routes.common.BadParameterAnswers;
import jp.nanbyo.fhir.routes.common.JsonAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /directory-sync/{source}[?full=true]}: a run now, for operators and Postman, through
 * the same route as the timer's. Answers when the run ends (with retries of an unreachable server,
 * up to about a minute): 200 with the run's report, 404 for a source not configured, 503 when a
 * server stayed unreachable, 500 for any other failure. Both failures are dead-lettered too.
 */
@RestController
public class DirectorySyncController {

    private final ProducerTemplate routes;
    private final DirectorySyncProperties properties;

    public DirectorySyncController(ProducerTemplate routes, DirectorySyncProperties properties) {
        this.routes = routes;
        this.properties = properties;
    }

    @PostMapping(path = "/directory-sync/{source}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> run(@PathVariable String source, @RequestParam(required = false) String full) {
        if (properties.sources().stream().noneMatch(configured -> configured.id().equals(source))) {
            return JsonAnswers.of(HttpStatus.NOT_FOUND, JsonAnswers.message("unknown", "同期元 " + source + " は設定されていません。",
                    "No directory sync source " + source + " is configured (nanbyo.directory-sync.sources).", null));
        }
        boolean resync = BadParameterAnswers.yesNo("full", full);
        Exchange done = routes.request(DirectorySyncRoutes.ENDPOINT, exchange -> {
            exchange.getMessage().setBody(source);
            exchange.getMessage().setHeader(DirectorySyncRoutes.FULL, resync);
        });
        Throwable failure = done.getException() != null ? done.getException()
                : done.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            return JsonAnswers.of(HttpStatus.OK, done.getMessage().getBody(SyncReport.class));
        }
        if (failure instanceof SyncUnavailableException) {
            return JsonAnswers.of(HttpStatus.SERVICE_UNAVAILABLE, JsonAnswers.message("unavailable",
                    "同期元または FHIR サーバーに接続できません。しばらくしてから再実行してください。適用済みの変更は保たれ、次回は記録済みの時点から続けます。",
                    "The source or the FHIR server is unavailable; try again later. What was applied stays; the next run continues from the recorded watermark.",
                    failure.getMessage()));
        }
        return JsonAnswers.of(HttpStatus.INTERNAL_SERVER_ERROR, JsonAnswers.message("failed",
                "同期に失敗しました。理由を確認し、運用担当に連絡してください。",
                "The sync failed; check the reason and tell the operators.", String.valueOf(failure)));
    }

}
