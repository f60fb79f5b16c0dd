"""DynamoDB storage, for a skill at any scale: the official ask-sdk adapter for profiles,
and the diary as one item per entry.

Two tables: profiles (partition key `id`, the user id: the adapter's layout) and the
diary (partition key `user`, sort key `entry`). Imported only when CRAMP_DYNAMODB_TABLE
is set, because boto3 is large and the adapter builds a boto3 resource as it is imported.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import cast

import boto3
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_dynamodb.adapter import DynamoDbAdapter
from ask_sdk_model import RequestEnvelope
from boto3.dynamodb.conditions import Key
from botocore.config import Config
from botocore.exceptions import ClientError

from skill.diary import MAX_ENTRIES, Entry, too_old
from skill.persistence import user_id
from skill.storage import STORE_TIMEOUT_SECONDS, Storage

PARTITION_KEY = "id"
# The diary's per-user counter item: its sort key sorts after every entry's (digits).
COUNTER_KEY = "~count"
# boto3 waits 60 s per attempt and retries by default: a DynamoDB that stops answering
# would hold the reply past Alexa's limit, and the person would hear nothing. Two
# attempts within the store's time budget, then the skill helps without the store.
BOUNDED = Config(
    connect_timeout=STORE_TIMEOUT_SECONDS / 4,
    read_timeout=STORE_TIMEOUT_SECONDS / 4,
    retries={"total_max_attempts": 2, "mode": "standard"},
)


def bounded_resource(endpoint_url: str | None = None, **options: object) -> object:
    """A DynamoDB resource whose every call gives up within the store's time budget."""
    return boto3.resource("dynamodb", endpoint_url=endpoint_url, config=BOUNDED, **options)


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
        super().save_attributes(request_envelope, cast(dict, to_dynamo(attributes)))


# The `# type: ignore`s below: boto3 publishes no types, so its tables and resources are
# held as `object`, and to_dynamo returns `object` (any JSON value, converted).
class DynamoDiary:
    """One item per entry in the diary table (partition key `user`, sort key `entry`:
    the time, then a random suffix), and one counter item per user (sort key `~count`,
    after every entry's key). Every add is a put of a new item, so concurrent writers
    cannot lose one, and it never reads the whole diary: a consistent Query of the two
    oldest entry (1 RCU) says whether the oldest is past the retention period (it is
    deleted in the new one's place); otherwise a conditional increment of the counter
    admits the entry below the cap, and at the cap the oldest other entry is deleted.
    1 RCU and at most 3 WCU per add, unless two adds race for one eviction
    (tests/test_storage.py measures it on moto).

    Evictions are conditional deletes: when two adds pick the same oldest entry, the
    one that finds it gone counts itself or evicts the next oldest, so the counter stays
    true. A table from before the counter starts counting from zero."""

    def __init__(self, table: object) -> None:
        self.table = table

    def add(self, user_id: str, entry: Entry, now: float) -> None:
        if too_old(entry, now):
            return
        sort_key = f"{entry.at:017.3f}#{uuid.uuid4().hex[:8]}"
        item = {"user": user_id, "entry": sort_key, **to_dynamo(entry.to_dict())}  # type: ignore[dict-item]
        oldest = self._oldest(user_id, 1)
        if oldest and too_old(oldest[0][1], now):
            # Past retention: the new entry takes its place, unless another add has.
            self.table.put_item(Item=item)  # type: ignore[attr-defined]
            if self._evict(user_id, oldest[0][0]):
                return
        elif self._admit(user_id):
            self.table.put_item(Item=item)  # type: ignore[attr-defined]
            return
        else:
            self.table.put_item(Item=item)  # type: ignore[attr-defined]
            if oldest and self._evict(user_id, oldest[0][0]):
                return
        # Another add evicted that same entry first: this one takes the next oldest.
        if not self._admit(user_id):
            others = [key for key, _ in self._oldest(user_id, 2) if key != sort_key]
            if others:
                self._evict(user_id, others[0])

    def _oldest(self, user_id: str, count: int) -> list[tuple[str, Entry]]:
        page = self.table.query(  # type: ignore[attr-defined]
            KeyConditionExpression=Key("user").eq(user_id) & Key("entry").lt(COUNTER_KEY),
            ConsistentRead=True,
            Limit=count,
        )
        return self._entries_of(page)

    def _evict(self, user_id: str, key: str) -> bool:
        """Delete an entry; False if it was already gone (another add evicted it)."""
        try:
            self.table.delete_item(  # type: ignore[attr-defined]
                Key={"user": user_id, "entry": key},
                ConditionExpression="attribute_exists(#entry)",
                ExpressionAttributeNames={"#entry": "entry"},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _admit(self, user_id: str) -> bool:
        """One more entry on the counter, unless that would pass the cap."""
        try:
            self.table.update_item(  # type: ignore[attr-defined]
                Key={"user": user_id, "entry": COUNTER_KEY},
                UpdateExpression="ADD entries :one",
                ConditionExpression="attribute_not_exists(entries) OR entries < :cap",
                ExpressionAttributeValues={":one": 1, ":cap": MAX_ENTRIES},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    @staticmethod
    def _entries_of(page: dict) -> list[tuple[str, Entry]]:
        found = []
        for item in page.get("Items", []):
            entry = Entry.from_dict(item)
            if entry:
                found.append((item["entry"], entry))
        return found

    def _items(self, user_id: str, counter: bool = False) -> list[tuple[str, Entry | None]]:
        """(sort key, entry) for every stored item, following DynamoDB's pages; with
        `counter`, the counter item too (its entry is None)."""
        found: list[tuple[str, Entry | None]] = []
        condition = Key("user").eq(user_id)
        query = {
            "KeyConditionExpression": condition
            if counter
            else condition & Key("entry").lt(COUNTER_KEY),
            "ConsistentRead": True,
        }
        while True:
            page = self.table.query(**query)  # type: ignore[attr-defined]
            for item in page.get("Items", []):
                found.append((item["entry"], Entry.from_dict(item)))
            if "LastEvaluatedKey" not in page:
                return found
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def entries(self, user_id: str) -> list[Entry]:
        return sorted((e for _, e in self._items(user_id) if e), key=lambda e: e.at)

    def delete(self, user_id: str) -> None:
        with self.table.batch_writer() as batch:  # type: ignore[attr-defined]
            for key, _ in self._items(user_id, counter=True):
                batch.delete_item(Key={"user": user_id, "entry": key})


def create_diary_table(resource: object, name: str) -> None:
    """The diary table, on demand (pay per request), if it does not exist yet."""
    try:
        resource.create_table(  # type: ignore[attr-defined]
            TableName=name,
            KeySchema=[
                {"AttributeName": "user", "KeyType": "HASH"},
                {"AttributeName": "entry", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "user", "AttributeType": "S"},
                {"AttributeName": "entry", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        ).wait_until_exists()
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceInUseException":
            raise


def dynamo_storage(
    table_name: str,
    create_table: bool = False,
    resource: object | None = None,
    diary_table: str | None = None,
) -> Storage:
    """Profiles in `table_name`, diary entries in `diary_table` (default: the same name
    with `-diary`); `create_table` creates both if they are missing."""
    resource = resource or bounded_resource()
    diary_table = diary_table or f"{table_name}-diary"
    if create_table:
        create_diary_table(resource, diary_table)
    adapter = ProfileAdapter(
        table_name,
        partition_key_name=PARTITION_KEY,
        create_table=create_table,
        partition_keygen=partition_key,
        dynamodb_resource=resource,
    )
    return Storage(adapter, DynamoDiary(resource.Table(diary_table)))  # type: ignore[attr-defined]
