"""DynamoDB storage, for a skill at any scale: the official ask-sdk adapter for profiles,
and the diary as one item per user updated with a conditional write.

One table, partition key `id` (a string): a user's profile under their user id, their
diary under `<user id>#diary`. Imported only when CRAMP_DYNAMODB_TABLE is set, because
boto3 is large and the adapter builds a boto3 resource as it is imported.
"""

from __future__ import annotations

import logging
from decimal import Decimal

import boto3
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_dynamodb.adapter import DynamoDbAdapter
from ask_sdk_model import RequestEnvelope
from botocore.exceptions import ClientError

from skill.diary import Entry, kept
from skill.persistence import user_id
from skill.storage import Storage

log = logging.getLogger(__name__)
PARTITION_KEY = "id"
DIARY_SUFFIX = "#diary"
# Concurrent writers retry a conditional write this often before giving up.
WRITE_ATTEMPTS = 8


def partition_key(request_envelope: RequestEnvelope) -> str:
    key = user_id(request_envelope)
    if not key:
        raise PersistenceException("the request has no user id")
    return key


def to_dynamo(value: object) -> object:
    """DynamoDB takes no floats: numbers go in as Decimal (and come back as Decimal)."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {key: to_dynamo(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_dynamo(item) for item in value]
    return value


class ProfileAdapter(DynamoDbAdapter):
    """The official adapter, keyed like ours, saving floats as DynamoDB can store them."""

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        super().save_attributes(request_envelope, to_dynamo(attributes))


class DynamoDiary:
    """A user's entries in one item, with a version number: every write says which
    version it read, so of two concurrent writers one retries, and nothing is lost."""

    def __init__(self, table: object) -> None:
        self.table = table

    def _read(self, user: str) -> tuple[list[Entry], int]:
        item = (
            self.table.get_item(  # type: ignore[attr-defined]
                Key={PARTITION_KEY: user + DIARY_SUFFIX}, ConsistentRead=True
            ).get("Item")
            or {}
        )
        entries = [e for e in map(Entry.from_dict, item.get("entries") or []) if e]
        return entries, int(item.get("version", 0))

    def add(self, user_id: str, entry: Entry, now: float) -> None:
        for _ in range(WRITE_ATTEMPTS):
            entries, version = self._read(user_id)
            item = {
                PARTITION_KEY: user_id + DIARY_SUFFIX,
                "version": version + 1,
                "entries": to_dynamo([e.to_dict() for e in kept([*entries, entry], now)]),
            }
            condition = "attribute_not_exists(id)" if version == 0 else "version = :read"
            values = {} if version == 0 else {"ExpressionAttributeValues": {":read": version}}
            try:
                self.table.put_item(Item=item, ConditionExpression=condition, **values)  # type: ignore[attr-defined]
                return
            except ClientError as error:
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                log.info("diary write raced another; retrying")
        raise PersistenceException("the diary is too busy to write to; try again")

    def entries(self, user_id: str) -> list[Entry]:
        return self._read(user_id)[0]

    def delete(self, user_id: str) -> None:
        self.table.delete_item(Key={PARTITION_KEY: user_id + DIARY_SUFFIX})  # type: ignore[attr-defined]


def dynamo_storage(
    table_name: str, create_table: bool = False, resource: object | None = None
) -> Storage:
    """The table's profile adapter and diary; `create_table` creates it on first use."""
    resource = resource or boto3.resource("dynamodb")
    adapter = ProfileAdapter(
        table_name,
        partition_key_name=PARTITION_KEY,
        create_table=create_table,
        partition_keygen=partition_key,
        dynamodb_resource=resource,
    )
    return Storage(adapter, DynamoDiary(resource.Table(table_name)))  # type: ignore[attr-defined]
