Instance: irud-exchange-endpoint
InstanceOf: NanbyoEndpoint
Usage: #example
Title: "IRUD Exchange の Matchmaker Exchange 接続先 (example address)"
Description: "GA4GH Matchmaker Exchange API (/match) の接続先。アドレスは例示用ドメイン (example.jp)。"
* status = #active
* connectionType = NanbyoEndpointConnectionType#matchmaker-exchange
* name = "IRUD Exchange (Matchmaker Exchange)"
* managingOrganization = Reference(irud) "未診断疾患イニシアチブ (IRUD)"
* payloadType.text = "GA4GH Matchmaker Exchange match request"
* payloadMimeType = #application/vnd.ga4gh.matchmaker.v1.0+json
* address = "https://irud-exchange.example.jp/mme/match"
