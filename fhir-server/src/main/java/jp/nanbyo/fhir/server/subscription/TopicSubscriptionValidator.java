package jp.nanbyo.fhir.server.subscription;

import static ca.uhn.fhir.subscription.SubscriptionConstants.SUBSCRIPTION_TOPIC_CHANNEL_HEARTBEAT_PERIOD_URL;
import static ca.uhn.fhir.subscription.SubscriptionConstants.SUBSCRIPTION_TOPIC_CHANNEL_PAYLOAD_CONTENT;
import static ca.uhn.fhir.subscription.SubscriptionConstants.SUBSCRIPTION_TOPIC_FILTER_URL;
import static ca.uhn.fhir.subscription.SubscriptionConstants.SUBSCRIPTION_TOPIC_PROFILE_URL;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryMatchResult;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryResourceMatcher;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicRegistry;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.subscription.SubscriptionConstants;
import ca.uhn.fhir.util.UrlUtil;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import jp.nanbyo.fhir.server.NanbyoProperties;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.hl7.fhir.r5.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r5.model.SubscriptionTopic;
import org.hl7.fhir.r5.model.SubscriptionTopic.SubscriptionTopicCanFilterByComponent;

/**
 * What a Subscription must be on this server, checked when it is written (REST, transaction or otherwise),
 * before HAPI's own checks: a topic-based subscription (R4 backport) to one of our topics, narrowed by filters
 * the topic offers and that can be evaluated, delivered by rest-hook to an allowed endpoint. A Subscription that
 * is not is refused with 422 and an OperationOutcome listing every problem (日本語 and English) with its
 * location. Status changes to off or error (a client turning it off, HAPI marking a failure) are not checked.
 *
 * <p>Topics themselves come only from the conformance package: a REST write of a topic ({@code Basic} coded
 * SubscriptionTopic) is refused with 403, since a topic is evaluated against every write of the server.
 */
@Interceptor
class TopicSubscriptionValidator {

    static final Set<String> PAYLOAD_MIME_TYPES = Set.of("application/fhir+json", "application/fhir+xml");
    static final Set<String> PAYLOAD_CONTENTS = Set.of("empty", "id-only", "full-resource");

    /** Before HAPI's SubscriptionValidatingInterceptor, whose messages are English only and stop at the first. */
    private static final int BEFORE_HAPI = SubscriptionConstants.ORDER_SUBSCRIPTION_VALIDATING - 10;

    private final NanbyoProperties.Subscriptions settings;
    private final SubscriptionTopicRegistry topics;
    private final ISearchParamRegistry searchParameters;
    private final InMemoryResourceMatcher inMemoryMatcher;
    private final DaoRegistry daoRegistry;

    TopicSubscriptionValidator(NanbyoProperties.Subscriptions settings, SubscriptionTopicRegistry topics,
            ISearchParamRegistry searchParameters, InMemoryResourceMatcher inMemoryMatcher, DaoRegistry daoRegistry) {
        this.settings = settings;
        this.topics = topics;
        this.searchParameters = searchParameters;
        this.inMemoryMatcher = inMemoryMatcher;
        this.daoRegistry = daoRegistry;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = BEFORE_HAPI)
    void created(IBaseResource resource, RequestDetails request) {
        check(null, resource, request);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = BEFORE_HAPI)
    void updated(IBaseResource oldResource, IBaseResource newResource, RequestDetails request) {
        check(oldResource, newResource, request);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = BEFORE_HAPI)
    void deleted(IBaseResource resource, RequestDetails request) {
        refuseTopicWriteByAClient(resource, request);
    }

    private void check(IBaseResource oldResource, IBaseResource resource, RequestDetails request) {
        refuseTopicWriteByAClient(oldResource, request);
        refuseTopicWriteByAClient(resource, request);
        if (resource instanceof Subscription subscription) {
            List<Problem> problems = problems(subscription);
            if (!problems.isEmpty()) {
                throw refused(problems);
            }
        }
    }

    /** Every reason the subscription cannot be served; empty if it can. */
    List<Problem> problems(Subscription subscription) {
        List<Problem> problems = new ArrayList<>();
        if (subscription.getStatus() == SubscriptionStatus.OFF || subscription.getStatus() == SubscriptionStatus.ERROR) {
            return problems;
        }
        if (!settings.enabled()) {
            problems.add(new Problem(IssueType.NOTSUPPORTED, "Subscription",
                    "このサーバーではサブスクリプションを受け付けていません",
                    "subscriptions are turned off on this server (nanbyo.subscriptions.enabled=false)"));
            return problems;
        }
        boolean topicBased = subscription.getMeta().getProfile().stream()
                .anyMatch(profile -> SUBSCRIPTION_TOPIC_PROFILE_URL.equals(profile.getValue()));
        if (!topicBased) {
            problems.add(new Problem(IssueType.NOTSUPPORTED, "Subscription.meta.profile",
                    "トピック型サブスクリプション (R4 Subscriptions Backport) のみ受け付けます。meta.profile に "
                            + SUBSCRIPTION_TOPIC_PROFILE_URL + " を宣言し、criteria にトピックの URL を指定してください",
                    "only topic-based subscriptions (FHIR R4 Subscriptions Backport IG) are accepted: declare "
                            + SUBSCRIPTION_TOPIC_PROFILE_URL + " in meta.profile and give a topic's canonical URL as criteria"
                            + " (topics: " + topicUrls() + ")"));
            return problems;
        }
        if (subscription.getStatus() == null) {
            problems.add(new Problem(IssueType.REQUIRED, "Subscription.status",
                    "status (requested) は必須です", "status is required (a new subscription is 'requested')"));
        }
        if (!subscription.hasReason()) {
            problems.add(new Problem(IssueType.REQUIRED, "Subscription.reason",
                    "reason (購読の目的) は必須です", "reason is required (why you subscribe)"));
        }
        Optional<SubscriptionTopic> topic = activeTopic(subscription.getCriteria());
        if (topic.isEmpty()) {
            problems.add(new Problem(IssueType.NOTFOUND, "Subscription.criteria",
                    "このサーバーにないトピックです: " + subscription.getCriteria(),
                    "unknown topic " + subscription.getCriteria() + "; the topics of this server are " + topicUrls()));
        } else {
            checkFilters(subscription, topic.get(), problems);
        }
        checkChannel(subscription.getChannel(), problems);
        return problems;
    }

    private void checkFilters(Subscription subscription, SubscriptionTopic topic, List<Problem> problems) {
        List<Extension> extensions = subscription.getCriteriaElement().getExtension();
        String example = example(topic);
        if (extensions.stream().noneMatch(e -> SUBSCRIPTION_TOPIC_FILTER_URL.equals(e.getUrl()))) {
            problems.add(new Problem(IssueType.REQUIRED, "Subscription.criteria",
                    "絞り込み条件 (拡張 backport-filter-criteria) を 1 つ以上指定してください。例: " + example,
                    "give at least one filter (extension " + SUBSCRIPTION_TOPIC_FILTER_URL + " on criteria), e.g. " + example));
            return;
        }
        for (int i = 0; i < extensions.size(); i++) {
            Extension extension = extensions.get(i);
            if (SUBSCRIPTION_TOPIC_FILTER_URL.equals(extension.getUrl())) {
                String filter = extension.hasValue() ? extension.getValue().primitiveValue() : null;
                checkFilter(filter, topic, "Subscription.criteria.extension[" + i + "]", example, problems);
            }
        }
    }

    private void checkFilter(String filter, SubscriptionTopic topic, String where, String example, List<Problem> problems) {
        int question = filter == null ? -1 : filter.indexOf('?');
        if (question <= 0 || question == filter.length() - 1) {
            problems.add(new Problem(IssueType.INVALID, where,
                    "絞り込み条件は <リソース型>?<パラメータ>=<値> の形で書きます。例: " + example,
                    "a filter is <ResourceType>?<parameter>=<value>, e.g. " + example + "; got " + filter));
            return;
        }
        String resourceType = filter.substring(0, question);
        Set<String> allowed = topic.getCanFilterBy().stream()
                .filter(f -> resourceType.equals(f.getResource()))
                .map(SubscriptionTopicCanFilterByComponent::getFilterParameter)
                .collect(Collectors.toCollection(TreeSet::new));
        int before = problems.size();
        Map<String, String[]> parameters = UrlUtil.parseQueryString(filter.substring(question + 1));
        if (allowed.isEmpty()) {
            problems.add(new Problem(IssueType.INVALID, where,
                    "このトピックでは " + resourceType + " を絞り込めません。例: " + example,
                    "topic " + topic.getUrl() + " cannot be filtered on " + resourceType + ", e.g. " + example));
            return;
        }
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (!allowed.contains(name)) {
                problems.add(new Problem(IssueType.INVALID, where,
                        "このトピックで使えない絞り込みパラメータです: " + name + " (使えるもの: " + allowed + ")",
                        "topic " + topic.getUrl() + " cannot be filtered by '" + name + "' (chains and modifiers are not"
                                + " evaluated); it can by " + allowed + ", e.g. " + example));
                continue;
            }
            for (String value : parameter.getValue()) {
                checkFilterValue(resourceType, name, value, where, problems);
            }
        }
        if (problems.size() == before) {
            InMemoryMatchResult inMemory = inMemoryMatcher.canBeEvaluatedInMemory(filter);
            if (!inMemory.supported()) {
                problems.add(new Problem(IssueType.NOTSUPPORTED, where,
                        "この絞り込み条件は評価できません: " + filter,
                        "the filter " + filter + " cannot be evaluated on a notification: " + inMemory.getUnsupportedReason()));
            }
        }
    }

    /** A reference filter must name an existing resource as Type/id: a typo would otherwise silently match nothing. */
    private void checkFilterValue(String resourceType, String name, String value, String where, List<Problem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(new Problem(IssueType.INVALID, where, name + " の値がありません", "no value for " + name));
            return;
        }
        RuntimeSearchParam parameter = searchParameters.getActiveSearchParam(
                resourceType, name, ISearchParamRegistry.SearchParamLookupContextEnum.SEARCH);
        if (parameter == null || parameter.getParamType() != RestSearchParameterTypeEnum.REFERENCE) {
            return;
        }
        IdType reference = new IdType(value);
        Set<String> targets = parameter.getTargets();
        if (reference.isAbsolute() || !reference.hasResourceType() || !reference.hasIdPart() || reference.hasVersionIdPart()
                || !daoRegistry.isResourceTypeSupported(reference.getResourceType())
                || (!targets.isEmpty() && !targets.contains(reference.getResourceType()))) {
            problems.add(new Problem(IssueType.INVALID, where,
                    name + " の値は Type/id の形の参照にします (例: Organization/123)。値: " + value,
                    name + " takes a relative reference Type/id" + (targets.isEmpty() ? "" : " to " + targets)
                            + " (e.g. Organization/123); got " + value));
            return;
        }
        try {
            daoRegistry.getResourceDao(reference.getResourceType()).read(reference, new SystemRequestDetails());
        } catch (BaseServerResponseException notThere) {
            problems.add(new Problem(IssueType.NOTFOUND, where,
                    "絞り込み条件の参照先がありません: " + value, value + " does not exist on this server"));
        }
    }

    private void checkChannel(Subscription.SubscriptionChannelComponent channel, List<Problem> problems) {
        if (channel.getType() != SubscriptionChannelType.RESTHOOK) {
            problems.add(new Problem(IssueType.NOTSUPPORTED, "Subscription.channel.type",
                    "通知方法は rest-hook のみです: " + channel.getTypeElement().getValueAsString(),
                    "channel type " + channel.getTypeElement().getValueAsString() + " is not supported: this server"
                            + " delivers by rest-hook only"));
        }
        String endpoint = channel.getEndpoint();
        if (endpoint == null || endpoint.isBlank()) {
            problems.add(new Problem(IssueType.REQUIRED, "Subscription.channel.endpoint",
                    "通知先 (channel.endpoint) は必須です", "channel.endpoint (where to deliver) is required"));
        } else if (!isHttpUrl(endpoint)) {
            problems.add(new Problem(IssueType.INVALID, "Subscription.channel.endpoint",
                    "通知先は http(s) の絶対 URL にします: " + endpoint, "channel.endpoint must be an absolute http(s) URL; got " + endpoint));
        } else if (settings.allowedEndpoints().stream().noneMatch(endpoint::startsWith)) {
            problems.add(new Problem(IssueType.SECURITY, "Subscription.channel.endpoint",
                    "この通知先は許可されていません: " + endpoint + " (許可: " + settings.allowedEndpoints() + ")",
                    "endpoint " + endpoint + " is not allowed here: it must start with one of " + settings.allowedEndpoints()
                            + " (nanbyo.subscriptions.allowed-endpoints)"));
        }
        String mimeType = channel.getPayload();
        if (mimeType == null || !PAYLOAD_MIME_TYPES.contains(mimeType)) {
            problems.add(new Problem(IssueType.INVALID, "Subscription.channel.payload",
                    "channel.payload は application/fhir+json または application/fhir+xml にします",
                    "channel.payload must be application/fhir+json or application/fhir+xml; got " + mimeType));
        }
        Extension content = channel.getPayloadElement().getExtensionByUrl(SUBSCRIPTION_TOPIC_CHANNEL_PAYLOAD_CONTENT);
        String contentCode = content == null || !content.hasValue() ? null : content.getValue().primitiveValue();
        if (content != null && !PAYLOAD_CONTENTS.contains(contentCode)) {
            problems.add(new Problem(IssueType.INVALID, "Subscription.channel.payload.extension",
                    "通知の内容 (backport-payload-content) は empty, id-only, full-resource のいずれかです",
                    "payload content must be empty, id-only or full-resource; got " + contentCode));
        }
        if (channel.hasExtension(SUBSCRIPTION_TOPIC_CHANNEL_HEARTBEAT_PERIOD_URL)) {
            problems.add(new Problem(IssueType.NOTSUPPORTED, "Subscription.channel.extension",
                    "ハートビートは送信しません。backport-heartbeat-period を外してください",
                    "this server sends no heartbeats (HAPI FHIR 8.8 does not): remove backport-heartbeat-period"));
        }
    }

    private static boolean isHttpUrl(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            return uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (Exception notAUri) {
            return false;
        }
    }

    private Optional<SubscriptionTopic> activeTopic(String url) {
        if (url == null) {
            return Optional.empty();
        }
        return topics.findSubscriptionTopicByUrl(url).filter(topic -> topic.getStatus() == PublicationStatus.ACTIVE);
    }

    private List<String> topicUrls() {
        return topics.getAll().stream()
                .filter(topic -> topic.getStatus() == PublicationStatus.ACTIVE)
                .map(SubscriptionTopic::getUrl)
                .sorted()
                .toList();
    }

    private static String example(SubscriptionTopic topic) {
        return topic.getCanFilterBy().stream().findFirst()
                .map(f -> f.getResource() + "?" + f.getFilterParameter() + "=…")
                .orElse("(this topic offers no filter)");
    }

    /** A topic (R4: a Basic coded fhir-types#SubscriptionTopic) is written by the package installer only. */
    private static void refuseTopicWriteByAClient(IBaseResource resource, RequestDetails request) {
        if (resource instanceof Basic basic && isTopic(basic) && request != null && !(request instanceof SystemRequestDetails)) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(IssueType.FORBIDDEN)
                    .setDiagnostics("サブスクリプショントピックは適合性パッケージからのみ登録されます"
                            + " (subscription topics come from the conformance package only; they cannot be written over REST)")
                    .addExpression("Basic.code");
            throw new ForbiddenOperationException("subscription topics cannot be written over REST", outcome);
        }
    }

    static boolean isTopic(Basic basic) {
        return basic.getCode().getCoding().stream()
                .anyMatch(c -> "http://hl7.org/fhir/fhir-types".equals(c.getSystem()) && "SubscriptionTopic".equals(c.getCode()));
    }

    private static UnprocessableEntityException refused(List<Problem> problems) {
        OperationOutcome outcome = new OperationOutcome();
        for (Problem problem : problems) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(problem.code())
                    .setDiagnostics(problem.japanese() + " (" + problem.english() + ")")
                    .addExpression(problem.expression());
        }
        return new UnprocessableEntityException(
                "サブスクリプションを受け付けられません (the subscription cannot be accepted)", outcome);
    }

    /** One reason a subscription is refused: what kind, where, and why in both languages. */
    record Problem(IssueType code, String expression, String japanese, String english) {
    }
}
