"""A store a third party writes by hand against the Store protocol, shared by the tests."""


class DelegatingStore:
    """What a third party writes: every Store method, by hand, over some other store."""

    def __init__(self, inner):
        self.inner = inner
        self.writes = 0

    def put(self, entity):
        self.writes += 1
        return self.inner.put(entity)

    def put_many(self, entities):
        self.writes += 1
        return self.inner.put_many(entities)

    def get(self, cls, id):
        return self.inner.get(cls, id)

    def find(self, cls, **filters):
        return self.inner.find(cls, **filters)

    def all(self, cls):
        return self.inner.all(cls)

    def delete(self, target):
        self.inner.delete(target)

    def transaction(self):
        return self.inner.transaction()

    def close(self):
        self.inner.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
