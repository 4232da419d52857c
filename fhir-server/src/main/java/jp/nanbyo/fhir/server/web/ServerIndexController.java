package jp.nanbyo.fhir.server.web;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.nanbyo.fhir.routes.common.JsonAnswers;
import jp.nanbyo.fhir.server.NanbyoProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}: where a developer trying the server finds its entry points: the FHIR base, the operators' endpoints
 * and health, each with its method and what it is for. The web server's 404 and 405 answers point here.
 */
@RestController
class ServerIndexController {

    private final RestfulServer fhir;
    private final boolean openApi;

    ServerIndexController(RestfulServer fhir, NanbyoProperties properties) {
        this.fhir = fhir;
        this.openApi = properties.fhir().openapiEnabled();
    }

    @GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> index() {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("software", fhir.getServerName());
        index.put("version", fhir.getServerVersion());
        index.put("fhirBase", "/fhir");
        index.put("endpoints", endpoints());
        return JsonAnswers.of(HttpStatus.OK, index);
    }

    private List<Map<String, String>> endpoints() {
        List<Map<String, String>> endpoints = new ArrayList<>();
        endpoints.add(endpoint("GET", "/fhir/metadata", "FHIR サーバーの CapabilityStatement (プロファイル、検索パラメータ、操作)",
                "The FHIR server's CapabilityStatement (profiles, search parameters, operations)", "README.md"));
        if (openApi) {
            endpoints.add(endpoint("GET", "/fhir/swagger-ui/", "FHIR API を画面で試す (OpenAPI 3: /fhir/api-docs)",
                    "Browse and try the FHIR API (OpenAPI 3 at /fhir/api-docs)", "README.md"));
        }
        endpoints.add(endpoint("POST", "/import/designations?fileName={name}&dryRun={true|false}",
                "都道府県の指定医療機関一覧 (CSV または xlsx) を本文で送り、取込み結果の報告を受け取る",
                "Send a prefecture's list of designated hospitals (CSV or xlsx) as the body; the answer is the import's report",
                "docs/integration/designation-import.md"));
        endpoints.add(endpoint("POST", "/directory-sync/{source}?full={true|false}",
                "設定された mCSD ディレクトリとの同期を今すぐ実行する", "Run the sync with a configured mCSD directory now",
                "docs/integration/directory-sync.md"));
        endpoints.add(endpoint("GET", "/referral-exchange/outbox?state={pending|delivered|skipped|dead}&task={id}",
                "全国レジストリへの紹介送信の状況 (状態ごとの件数と各エントリ)",
                "The referral outbox towards national registries: counts per state and the entries",
                "docs/integration/referral-exchange.md"));
        endpoints.add(endpoint("POST", "/referral-exchange/outbox/{id}/replay", "送信に失敗した紹介を再送する",
                "Send a dead-lettered referral again", "docs/integration/referral-exchange.md"));
        endpoints.add(endpoint("GET", "/actuator/health", "稼働状態 (データベース、ルート、連携先の送信待ち)",
                "Health (database, routes, partners' queues)", "docs/operations.md"));
        endpoints.add(endpoint("GET", "/actuator/prometheus", "メトリクス (Prometheus 形式)", "Metrics (Prometheus format)",
                "docs/operations.md"));
        return endpoints;
    }

    private static Map<String, String> endpoint(String method, String path, String ja, String en, String documentation) {
        Map<String, String> endpoint = new LinkedHashMap<>();
        endpoint.put("method", method);
        endpoint.put("path", path);
        endpoint.put("descriptionJa", ja);
        endpoint.put("descriptionEn", en);
        endpoint.put("documentation", documentation);
        return endpoint;
    }
}
