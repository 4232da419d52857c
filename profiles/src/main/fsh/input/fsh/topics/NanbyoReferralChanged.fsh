// A subscription topic (FHIR Subscriptions R4 backport): a referral for an organization was created or changed.
// It triggers on the referral's Task only: HAPI skips a subscriber's filters whose resource type is not the changed
// resource's, so a topic that also triggered on ServiceRequest would send every ServiceRequest to a subscriber that
// filtered on Task alone. The Task names both parties (owner, requester) and changes with every step of the workflow.
Instance: nanbyo-referral-changed
InstanceOf: Basic
Usage: #definition
Title: "紹介の作成・変更 (referral created or changed)"
Description: "組織宛て・組織からの紹介 (NanbyoReferralTask) が作成・変更されたとき。A referral for or from an organization was created or changed."
* insert SubscriptionTopicMetadata(nanbyo-referral-changed, NanbyoReferralChanged)
* extension[+].url = $topic-title
* extension[=].valueString = "紹介の作成・変更 (referral created or changed)"
* extension[+].url = $topic-description
* extension[=].valueMarkdown = """
紹介の処理 (NanbyoReferralTask) が作成または変更 (受付・受諾・辞退・予約・対応中・完了・取消、返書の追加など) されたときに通知する。
紹介先は owner で (`Task?owner=Organization/<id>`、受信箱)、紹介元は requester で (`Task?requester=Organization/<id>`、送信箱) 絞り込む。
紹介は患者の情報を含むため、payload は id-only を推奨する。
Notifies when a referral's Task is created or changed (every state move, feedback added). A receiving organization
filters by `owner` (its inbox), a referring one by `requester` (its outbox). Referrals hold patient data: prefer
`id-only` payloads and read the Task with the receiver's own credentials.
"""
* extension[+].url = $topic-resource-trigger
* extension[=].extension[0].url = "description"
* extension[=].extension[=].valueMarkdown = "紹介の Task の作成・変更 (a referral Task created or updated)"
* extension[=].extension[+].url = "resource"
* extension[=].extension[=].valueUri = "Task"
* extension[=].extension[+].url = "supportedInteraction"
* extension[=].extension[=].valueCode = #create
* extension[=].extension[+].url = "supportedInteraction"
* extension[=].extension[=].valueCode = #update
* extension[+].url = $topic-can-filter-by
* extension[=].extension[0].url = "description"
* extension[=].extension[=].valueMarkdown = "紹介先の組織 (Organization/<id>): 受信箱。The receiving organization: its inbox."
* extension[=].extension[+].url = "resource"
* extension[=].extension[=].valueUri = "Task"
* extension[=].extension[+].url = "filterParameter"
* extension[=].extension[=].valueString = "owner"
* extension[+].url = $topic-can-filter-by
* extension[=].extension[0].url = "description"
* extension[=].extension[=].valueMarkdown = "紹介元の組織 (Organization/<id>): 送信箱。The referring organization: its outbox."
* extension[=].extension[+].url = "resource"
* extension[=].extension[=].valueUri = "Task"
* extension[=].extension[+].url = "filterParameter"
* extension[=].extension[=].valueString = "requester"
// No include: the ServiceRequest and the Patient stay out of notifications; a receiver reads what it needs.
* extension[+].url = $topic-notification-shape
* extension[=].extension[0].url = "resource"
* extension[=].extension[=].valueUri = "Task"
