import ECSAPI
import ECSDomain
import ECSStore

/// The STS (2015-04-01) actions, shaped as `alibabacloud-sts20150401`'s response models expect:
/// `Credentials{AccessKeyId, AccessKeySecret, SecurityToken, Expiration}` and
/// `AssumedRoleUser{Arn, AssumedRoleId}`.
enum STSHandlers {
    static let all: [ServedAction] = [
        ServedAction(STSActions.assumeRole, assumeRole),
    ]

    static func assumeRole(_ c: Call) async throws -> WireObject {
        let roleArn = c.input.string("RoleArn")!
        let result: (session: STSSessionRecord, token: String, role: RoleRecord)
        do {
            result = try await c.services.ram.assumeRole(caller: c.caller, roleArn: roleArn,
                                                         sessionName: c.input.string("RoleSessionName")!,
                                                         policy: c.input.string("Policy"),
                                                         durationSeconds: c.input.integer("DurationSeconds"))
        } catch RAMError.notTrusted {
            // The role's trust policy refused: RAM names it `AssumeRolePolicy` (protocol-and-ram.md §6.7).
            let e = RAMError.notTrusted(roleArn: roleArn).ecsError
            throw ECSError(code: e.code, status: e.status, message: e.message, accessDeniedDetail: Authorizer.deniedDetail(
                action: "sts:AssumeRole", caller: c.caller, policyType: "AssumeRolePolicy", decision: .implicitDeny(resource: roleArn)))
        } catch let e as RAMError {
            throw e.ecsError
        }
        let (s, token, role) = result
        return [
            "Credentials": .object([
                "AccessKeyId": .string(s.accessKeyId),
                "AccessKeySecret": .string(s.secret),
                "SecurityToken": .string(token),
                "Expiration": .string(ECSTime.seconds(s.expiresAt)),
            ]),
            "AssumedRoleUser": .object([
                "Arn": .string(RAMService.roleArn(account: role.accountId, name: role.name) + "/" + s.sessionName),
                "AssumedRoleId": .string(role.id + ":" + s.sessionName),
            ]),
        ]
    }
}
