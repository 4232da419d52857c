package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceInteractionComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;

/**
 * Says in the CapabilityStatement that this directory serves mCSD's Request Care Services Updates
 * [ITI-91] (the Update Option): the {@code history-type} interaction on every directory type, with
 * how to use it. HAPI lists the interaction itself; this adds it where missing and documents it.
 */
@Interceptor
final class DirectoryHistoryCapability {

    /** The mCSD directory types. */
    static final List<String> DIRECTORY_TYPES = List.of("Organization", "Location", "HealthcareService",
            "OrganizationAffiliation", "Endpoint", "Practitioner", "PractitionerRole");

    static final String DOCUMENTATION = "mCSD ITI-91 (Request Care Services Updates): "
            + "GET [type]/_history?_since=<instant>&_count=<n> (_since inclusive, _count up to the maximum page size), "
            + "newest first, following Bundle.link next; a deleted resource appears as an entry with request.method DELETE "
            + "and no resource. 変更履歴による同期 (ディレクトリ同期): _since 以降の版を新しい順に返し、削除は request.method DELETE の項目で示す。";

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    void documentHistory(IBaseConformance capabilityStatement) {
        if (!(capabilityStatement instanceof CapabilityStatement statement)) {
            return;
        }
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                if (DIRECTORY_TYPES.contains(resource.getType())) {
                    historyType(resource).setDocumentation(DOCUMENTATION);
                }
            }
        }
    }

    private static ResourceInteractionComponent historyType(CapabilityStatementRestResourceComponent resource) {
        return resource.getInteraction().stream()
                .filter(interaction -> interaction.getCode() == TypeRestfulInteraction.HISTORYTYPE)
                .findFirst()
                .orElseGet(() -> resource.addInteraction().setCode(TypeRestfulInteraction.HISTORYTYPE));
    }
}
