// What every subscription topic carries, in the R4 form of the Subscriptions Backport IG: a Basic coded
// fhir-types#SubscriptionTopic, its SubscriptionTopic elements as HL7's cross-version extensions.
// - identifier = the canonical URL: HAPI's package installer finds a resource without `url` by its identifier,
//   so a changed package updates the topic instead of adding a second one.
// - status active as a modifier extension (as the IG has it); the package assembler fails the build otherwise.
// - url = base + "/SubscriptionTopic/" + id (the assembler checks it); version, date, publisher and
//   jurisdiction as ConformanceMetadata gives them to every other artefact.
// Parameters: the topic's id and its computable name (NanbyoSomething).
RuleSet: SubscriptionTopicMetadata(id, name)
* identifier.system = "urn:ietf:rfc:3986"
* identifier.value = "http://nanbyo.jp/fhir/SubscriptionTopic/{id}"
* code = $fhir-types#SubscriptionTopic
* modifierExtension[0].url = $topic-status
* modifierExtension[0].valueCode = #active
* extension[0].url = $topic-url
* extension[=].valueUri = "http://nanbyo.jp/fhir/SubscriptionTopic/{id}"
* extension[+].url = $topic-version
* extension[=].valueString = "0.1.0"
* extension[+].url = $topic-name
* extension[=].valueString = "{name}"
* extension[+].url = $topic-date
* extension[=].valueDateTime = "2026-11-22"
* extension[+].url = $topic-publisher
* extension[=].valueString = "Nanbyo FHIR project"
* extension[+].url = $topic-jurisdiction
* extension[=].valueCodeableConcept = $iso3166#JP "Japan"
