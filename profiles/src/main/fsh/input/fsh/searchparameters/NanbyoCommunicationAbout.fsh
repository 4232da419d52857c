// R4 has no search parameter for Communication.about (R5 adds one); inquiry threads about a referral need it.
Instance: nanbyo-communication-about
InstanceOf: SearchParameter
Usage: #definition
Title: "Communication: 問い合わせの対象で検索 (about)"
* insert SearchParameterMetadata
* type = #reference
* name = "NanbyoCommunicationAbout"
* description = "問い合わせ (Communication) を、その対象の紹介 (about: ServiceRequest または Task) で検索する。例: about=ServiceRequest/123&_sort=sent で問い合わせのスレッド。Communications by what they are about (R5's `about`, absent from R4)."
* code = #about
* base = #Communication
* expression = "Communication.about"
