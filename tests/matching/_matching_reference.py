"""Plain-Python reference strategies: the definitions the vectorised ones are checked against.

They read the problem through its public ``to_lists()`` and draw ties from the same seeded
orders as the library, so on any problem they must give exactly the library's answer.
"""

import heapq

from mentorkit.matching._arrays import tie_ranks


def deferred_acceptance(problem, seed):
    """Mentee-proposing deferred acceptance, one proposal at a time (a min-heap per mentor)."""
    n, m = problem.shape
    mentor_rank = tie_ranks(m, seed, 0)
    mentee_rank = tie_ranks(n, seed, 1)
    s, ms = problem.to_lists()
    prefs = []
    for row in s:
        ranked = sorted(
            (-value, mentor_rank[j], j) for j, value in enumerate(row) if value is not None
        )
        prefs.append([j for _, _, j in ranked])
    cap = problem.capacity
    nxt = [0] * n
    held = [[] for _ in range(m)]  # (mentor's score, -mentee rank, mentee)
    assignment = [-1] * n
    free = [i for i in range(n) if prefs[i]]
    free.reverse()
    while free:
        i = free.pop()
        if nxt[i] >= len(prefs[i]):
            continue
        j = prefs[i][nxt[i]]
        nxt[i] += 1
        key = (ms[i][j], -mentee_rank[i], i)
        heap = held[j]
        if len(heap) < cap[j]:
            heapq.heappush(heap, key)
            assignment[i] = j
        elif heap and heap[0] < key:
            _, _, out = heapq.heapreplace(heap, key)
            assignment[i] = j
            assignment[out] = -1
            free.append(out)
        else:
            free.append(i)
    return assignment


def greedy(problem, seed):
    """Greedy by its definition: every allowed pair in descending score order."""
    n, m = problem.shape
    row_rank = tie_ranks(n, seed, 1)
    col_rank = tie_ranks(m, seed, 0)
    s, _ = problem.to_lists()
    cells = sorted(
        (-value, row_rank[i], col_rank[j], i, j)
        for i, row in enumerate(s)
        for j, value in enumerate(row)
        if value is not None
    )
    room = list(problem.capacity)
    assignment = [-1] * n
    for *_, i, j in cells:
        if assignment[i] == -1 and room[j] > 0:
            assignment[i] = j
            room[j] -= 1
    return assignment
