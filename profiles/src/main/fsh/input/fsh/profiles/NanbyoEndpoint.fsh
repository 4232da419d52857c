Profile: NanbyoEndpoint
Parent: Endpoint
Id: nanbyo-endpoint
Title: "接続先 (Nanbyo Endpoint)"
Description: """
参加組織の技術的な接続先: FHIR REST (HL7 の hl7-fhir-rest) または GA4GH Matchmaker Exchange
(nanbyo-endpoint-connection-type の matchmaker-exchange; IRUD Exchange など)。アドレスは https:// のみ。
A partner's technical address: FHIR REST (HL7 hl7-fhir-rest) or GA4GH Matchmaker Exchange
(matchmaker-exchange, e.g. IRUD Exchange). HTTPS only.
"""
* insert ConformanceMetadata
* obeys nanbyo-end-1
* status MS
* connectionType MS
* connectionType ^short = "hl7-fhir-rest (HL7) | matchmaker-exchange (nanbyo-endpoint-connection-type)"
* name MS
* managingOrganization 1..1 MS
* managingOrganization only Reference(NanbyoOrganization)
* payloadType MS
* payloadMimeType MS
* address MS
* address obeys nanbyo-end-2
* address ^short = "https:// で始まる URL (HTTPS only)"

Invariant: nanbyo-end-1
Description: "接続方式は FHIR REST (endpoint-connection-type#hl7-fhir-rest) または Matchmaker Exchange (nanbyo-endpoint-connection-type#matchmaker-exchange)。The connection type is FHIR REST or Matchmaker Exchange."
Expression: "(connectionType.system = 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type' and connectionType.code = 'hl7-fhir-rest') or (connectionType.system = 'http://nanbyo.jp/fhir/CodeSystem/nanbyo-endpoint-connection-type' and connectionType.code = 'matchmaker-exchange')"
Severity: #error

Invariant: nanbyo-end-2
Description: "アドレスは https:// で始まる (暗号化されない http:// は不可)。The address starts with https:// (no plain http://)."
Expression: "startsWith('https://')"
Severity: #error
