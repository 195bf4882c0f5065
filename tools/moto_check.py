#!/usr/bin/env python3
"""Replays tools/policy_cases.json against moto with IAM enforcement on.

For every request of every case, a fresh moto account gets an IAM user (the case's principalArn) with the
case's identity policy as an inline policy, and an Object Lock bucket with the case's bucket policy. The
request is then sent with boto3, signed with the user's access key, carrying the headers its `context`
implies. moto's outcome is "denied" for 403 / AccessDenied and "allowed" otherwise (a 2xx, or a non-403
error raised after authorization passed, e.g. InvalidRequest). It is compared with `expected`
(allowed versus either kind of deny; moto cannot tell an explicit deny from an implicit one).

Requests marked `motoDiffers` (moto departs from AWS there: it ignores IAM conditions on S3 requests,
checks only s3:PutObject for tagging/ACL/lock headers, ...) are reported but not counted as failures.
Exit status 0 when every other request agrees, 1 otherwise.

Usage: python3 tools/moto_check.py [path/to/policy_cases.json] [-v]
Needs: pip install 'moto[s3,iam]' boto3
"""

import base64
import datetime
import hashlib
import json
import os
import sys
import time
import urllib.parse

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.authorization import disable_iam_authentication, enable_iam_authentication

REGION = "us-east-1"
NEEDS_OBJECT = {
    "GetObject", "GetObjectVersion", "DeleteObject", "DeleteObjectVersion",
    "DeleteObjectVersionBypassingGovernance", "PutObjectRetention", "PutObjectLegalHold",
}
CONFIG = Config(request_checksum_calculation="when_required", response_checksum_validation="when_required",
                retries={"max_attempts": 1})


def first(ctx, key, default=None):
    for k, v in ctx.items():
        if k.lower() == key.lower() and v:
            return v[0]
    return default


def put_kwargs(ctx):
    """boto3 PutObject / CreateMultipartUpload parameters for the headers the context implies."""
    kw = {}
    if (sc := first(ctx, "s3:x-amz-storage-class")):
        kw["StorageClass"] = sc
    if (sse := first(ctx, "s3:x-amz-server-side-encryption")):
        kw["ServerSideEncryption"] = sse
    if (acl := first(ctx, "s3:x-amz-acl")):
        kw["ACL"] = acl
    return kw


def tagging(ctx):
    tags = {}
    for k, v in ctx.items():
        if k.lower().startswith("s3:requestobjecttag/") and v:
            tags[k.split("/", 1)[1]] = v[0]
    for k in next((v for k, v in ctx.items() if k.lower() == "s3:requestobjecttagkeys"), []):
        tags.setdefault(k, "x")
    return urllib.parse.urlencode(tags or {"job": "x"})


def retention(ctx):
    days = int(float(first(ctx, "s3:object-lock-remaining-retention-days", "10")))
    until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return first(ctx, "s3:object-lock-mode", "GOVERNANCE"), until


def send(s3, op, bucket, key, ctx, prep, bucket_policy):
    """Sends one request as the attacker; returns the boto3 response."""
    if op.startswith("PutObject") and op not in ("PutObjectRetention", "PutObjectLegalHold"):
        kw = put_kwargs(ctx)
        if first(ctx, "s3:if-none-match") is not None:
            kw["IfNoneMatch"] = first(ctx, "s3:if-none-match")
        if op == "PutObjectWithTagging":
            kw["Tagging"] = tagging(ctx)
        elif op == "PutObjectWithACL":
            kw.setdefault("ACL", "bucket-owner-full-control")
        elif op == "PutObjectWithRetention":
            kw["ObjectLockMode"], kw["ObjectLockRetainUntilDate"] = retention(ctx)
        elif op == "PutObjectWithLegalHold":
            kw["ObjectLockLegalHoldStatus"] = "ON"
        body = b"attacker"
        kw["ContentMD5"] = base64.b64encode(hashlib.md5(body).digest()).decode()  # moto wants it with lock headers
        return s3.put_object(Bucket=bucket, Key=key, Body=body, **kw)
    if op == "CreateMultipartUpload":
        return s3.create_multipart_upload(Bucket=bucket, Key=key, **put_kwargs(ctx))
    if op == "AbortMultipartUpload":
        return s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=prep["upload"])
    if op == "DeleteObject":
        return s3.delete_object(Bucket=bucket, Key=key)
    if op == "DeleteObjectVersion":
        return s3.delete_object(Bucket=bucket, Key=key, VersionId=prep["version"])
    if op == "DeleteObjectVersionBypassingGovernance":
        return s3.delete_object(Bucket=bucket, Key=key, VersionId=prep["version"], BypassGovernanceRetention=True)
    if op == "PutObjectRetention":
        mode, until = retention(ctx)
        return s3.put_object_retention(Bucket=bucket, Key=key, Retention={"Mode": mode, "RetainUntilDate": until})
    if op == "PutObjectLegalHold":
        return s3.put_object_legal_hold(Bucket=bucket, Key=key, LegalHold={"Status": "ON"})
    if op == "PutLifecycleConfiguration":
        rule = {"ID": "attacker", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 1}}
        return s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [rule]})
    if op == "PutBucketVersioning":
        return s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    if op == "PutBucketPolicy":
        policy = bucket_policy or {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}
        return s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    if op == "PutBucketObjectLockConfiguration":
        return s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
    if op == "GetObject":
        return s3.get_object(Bucket=bucket, Key=key)
    if op == "GetObjectVersion":
        return s3.get_object(Bucket=bucket, Key=key, VersionId=prep["version"])
    if op == "ListBucket":
        return s3.list_objects_v2(Bucket=bucket)
    if op == "ListBucketVersions":
        return s3.list_object_versions(Bucket=bucket)
    raise ValueError(f"unknown operation {op}")


def replay(case, request):
    """Runs one request in a fresh moto account; returns ("allowed" | "denied", detail)."""
    user = case["principalArn"].rsplit("/", 1)[-1]
    bucket, key, op = case["bucket"], request.get("key"), request["operation"]
    with mock_aws():
        prep = {}
        with disable_iam_authentication():
            iam = boto3.client("iam", region_name=REGION)
            iam.create_user(UserName=user)
            iam.put_user_policy(UserName=user, PolicyName="backup", PolicyDocument=json.dumps(case["identityPolicy"]))
            creds = iam.create_access_key(UserName=user)["AccessKey"]
            admin = boto3.client("s3", region_name=REGION, config=CONFIG)
            admin.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
            if op in NEEDS_OBJECT:
                prep["version"] = admin.put_object(Bucket=bucket, Key=key, Body=b"good backup")["VersionId"]
            if op == "AbortMultipartUpload":
                prep["upload"] = admin.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
            # Last: moto applies a bucket policy's Deny even with authentication off.
            if case.get("bucketPolicy"):
                admin.put_bucket_policy(Bucket=bucket, Policy=json.dumps(case["bucketPolicy"]))
        s3 = boto3.client("s3", region_name=REGION, config=CONFIG,
                          aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"])
        with enable_iam_authentication():
            try:
                response = send(s3, op, bucket, key, request.get("context") or {}, prep, case.get("bucketPolicy"))
                return "allowed", str(response["ResponseMetadata"]["HTTPStatusCode"])
            except ClientError as error:
                status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                code = error.response.get("Error", {}).get("Code", "?")
                if status == 403 or code == "AccessDenied":
                    return "denied", f"{status} {code}"
                return "allowed", f"{status} {code} after authorization"


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv[1:] if a != "-v"]
    path = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "policy_cases.json")
    with open(path) as f:
        cases = json.load(f)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    started = time.monotonic()
    total = agree = departures = 0
    failures, stale = [], []
    for case in cases:
        print(f"== {case['name']}")
        for request in case["requests"]:
            total += 1
            expected = request["expected"]
            want = "allowed" if expected == "allowed" else "denied"
            got, detail = replay(case, request)
            what = f"{request['operation']} {request.get('key') or '(bucket)'}"
            if request.get("context"):
                what += " " + json.dumps(request["context"], sort_keys=True)
            if got == want:
                agree += 1
                verdict = "ok"
                if "motoDiffers" in request:
                    verdict = "ok (marked motoDiffers, but moto agrees)"
                    stale.append(f"{case['name']}: {what}")
            elif "motoDiffers" in request:
                departures += 1
                verdict = f"known departure: {request['motoDiffers']}"
            else:
                verdict = "MISMATCH"
                failures.append(f"{case['name']}: {what}: expected {expected}, moto {got} ({detail})")
            if verbose or verdict != "ok":
                print(f"  {what}: expected {expected}, moto {got} ({detail}) -> {verdict}")
            else:
                print(f"  {what}: expected {expected}, moto {got} -> ok")
    print()
    for line in stale:
        print(f"note: moto now agrees on a request marked motoDiffers: {line}")
    for line in failures:
        print(f"MISMATCH {line}")
    print(f"moto agrees on {agree} of {total} requests ({departures} known departures)"
          f" [{len(failures)} mismatches, {time.monotonic() - started:.1f} s]")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
