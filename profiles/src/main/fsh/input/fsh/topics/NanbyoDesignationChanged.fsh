// A subscription topic (FHIR Subscriptions R4 backport). Adding a topic is one file like this one plus its
// rows in docs/naming.md and docs/subscriptions.md; the server installs it with the package and needs no code.
Instance: nanbyo-designation-changed
InstanceOf: Basic
Usage: #definition
Title: "指定の変更 (designation changed)"
Description: "都道府県の指定 (OrganizationAffiliation) が作成・変更・削除されたとき。A prefecture's designation was created, changed or deleted."
* insert SubscriptionTopicMetadata(nanbyo-designation-changed, NanbyoDesignationChanged)
* extension[+].url = $topic-title
* extension[=].valueString = "指定の変更 (designation changed)"
* extension[+].url = $topic-description
* extension[=].valueMarkdown = """
都道府県による指定 (NanbyoDesignation, OrganizationAffiliation) が作成・変更 (終了を含む)・削除されたときに通知する。
購読者は primary-organization (指定した都道府県の難病医療提供体制, `Organization/<id>`) で都道府県を絞り込む。
Notifies when a prefecture's designation is created, changed (ended included) or deleted. Subscribers filter
by prefecture with `primary-organization` = the prefecture's network (`Organization/<id>`).
"""
// Every write of a designation, whatever changed.
* extension[+].url = $topic-resource-trigger
* extension[=].extension[0].url = "description"
* extension[=].extension[=].valueMarkdown = "指定の作成・変更・削除 (a designation created, updated or deleted)"
* extension[=].extension[+].url = "resource"
* extension[=].extension[=].valueUri = "OrganizationAffiliation"
* extension[=].extension[+].url = "supportedInteraction"
* extension[=].extension[=].valueCode = #create
* extension[=].extension[+].url = "supportedInteraction"
* extension[=].extension[=].valueCode = #update
* extension[=].extension[+].url = "supportedInteraction"
* extension[=].extension[=].valueCode = #delete
// The prefecture: the network is the designation's `organization`. HAPI evaluates filters in memory against the
// designation alone, so a chain (primary-organization.identifier=…) cannot be used; the network's reference can.
* extension[+].url = $topic-can-filter-by
* extension[=].extension[0].url = "description"
* extension[=].extension[=].valueMarkdown = "都道府県の難病医療提供体制 (Organization/<id>) で絞り込む。The prefecture's network, as `Organization/<id>`."
* extension[=].extension[+].url = "resource"
* extension[=].extension[=].valueUri = "OrganizationAffiliation"
* extension[=].extension[+].url = "filterParameter"
* extension[=].extension[=].valueString = "primary-organization"
// A notification carries the designated hospital too, so a receiver needs no further read to show it.
* extension[+].url = $topic-notification-shape
* extension[=].extension[0].url = "resource"
* extension[=].extension[=].valueUri = "OrganizationAffiliation"
* extension[=].extension[+].url = "include"
* extension[=].extension[=].valueString = "OrganizationAffiliation:participating-organization"
