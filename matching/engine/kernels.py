"""Compiled loops (numba) for the two passes that touch every pair of a large pool.

* ``score_rows``: the whole score of ``scoring.criteria`` + ``scoring.admissible`` fused into one
  loop per pair, with no temporary array. Mentors are walked by age, so a mentee only visits the
  mentors of its age-gap window; the rules on small codes are one branch-free table look-up (the
  compiler vectorises that first sweep), and only the survivors get a distance and the soft
  criteria. The text cosine of a mentee against every mentor is one sparse scatter into a reused
  row buffer. It follows the numpy rules of ``scoring`` operation for operation in float32, so
  both agree to float32 rounding (the tests hold them to 1e-5).
* ``scan_rows``: one pass over rows of weights ``w = score + priority`` that keeps each mentee's
  ``k_row`` best pairs and each mentor's ``k_col`` best (a buffer per mentor, cut back by
  quickselect when full), plus the thresholds and per-group maxima that bound every pair left
  out; ``group_bound`` and ``bounded_columns`` use them (see ``reservoir``).

They release the GIL (``nogil``), so ``reservoir`` and ``assignment`` run them on disjoint row
ranges in threads. Compiled code is cached on disk (``cache=True``): only the first run on a
machine pays the compilation (~10 s); small pools never call these loops at all.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# columns of the int64 code matrix of each side (see ``scoring.kernel_codes``); gender, minors,
# vetting and "same gender" reach the loop through the constraint class (C_CLASS)
C_STAGE, C_FIELD, C_SOCIAL, C_GOALS, C_SLOTS, C_FORMAT = 0, 1, 2, 3, 4, 5
C_COMMUNE, C_DEPARTEMENT, C_REGION, C_HAS_TEXT, C_LANGUAGES, C_NO_PLACE, C_CLASS = range(6, 13)
N_CODES = 13

# entries of the float64 parameter vector (see ``scoring.kernel_params``: every value, constants
# of the rules included, comes from ``scoring``, so the numpy rules stay the one source of truth)
P_MIN_GAP, P_MAX_GAP, P_IDEAL_GAP, P_SIGMA, P_STEP_SHARE, P_TEXT_SHARE = 0, 1, 2, 3, 4, 5
P_MAX_KM, P_HALF_KM, P_PROXIMITY_FIRST, P_REMOTE_HALF_KM, P_STEP_OTHER_FIELD = 6, 7, 8, 9, 10
P_REMOTE_SHARE, P_SAME_DEPARTEMENT, P_SAME_REGION = 11, 12, 13
P_WEIGHTS = 14  # 5 criterion weights (normalised) follow, in CRITERIA order
N_PARAMS = 19
# custom criteria (issue 12): code columns N_CODES + c; the weight of criterion c at N_PARAMS + c,
# and a pair's value at params[mentee code + mentor code] (tables after the weights: see
# ``scoring.kernel_codes`` and ``scoring.kernel_params``)

_EARTH_DIAMETER_KM = 2 * 6371.0


@njit(cache=True, nogil=True, inline="always")
def _asin(x):
    # below 0.125 (800 km) its Taylor series to x**9 is exact to 1e-11 relative, and cheaper
    # than the library call the pass would otherwise make for most pairs
    if x < 0.125:
        x = np.float64(x)
        x2 = x * x
        return x * (1.0 + x2 * (1.0 / 6 + x2 * (3.0 / 40 + x2 * (5.0 / 112 + x2 * (35.0 / 1152)))))
    return math.asin(x)


@njit(cache=True, nogil=True)
def score_rows(  # noqa: PLR0913
    out,
    rows,
    col_ptr,
    cols,
    a_age,
    a_code,
    a_xyz,
    a_ptr,
    a_idx,
    a_val,
    b_age,
    b_code,
    b_xyz,
    bt_ptr,
    bt_idx,
    bt_val,
    b_ptr,
    b_idx,
    b_val,
    params,
    step_t,
    social_t,
    goals_t,
    avail_t,
    mode_t,
    class_ok,
    by_age,
    age_rank,
    b_place,
    acc,
    term_buf,
    place_seen,
    place_chord2,
    place_km,
    place_geo,
    place_local,
):
    """Combined score (float32, -inf where a hard constraint forbids) of mentees ``rows``.

    With ``cols`` empty, each mentee against every mentor: ``out`` is flat (len(rows) * m),
    row-major. Otherwise mentee ``rows[r]`` against mentors ``cols[col_ptr[r]:col_ptr[r + 1]]``,
    written at the same positions of ``out``. Mentor arrays (``b_*``) are sorted by age:
    ``by_age[k]`` is the mentor at position k, ``age_rank[j]`` the position of mentor j (so a
    row walks only the mentors of its age-gap window, in memory order). The text postings
    (``bt_*``) use mentor indices. ``class_ok[class_a + class_b]``: the constraints that depend
    only on small codes (vetting, minors, format, gender; see ``scoring.constraint_classes``).
    ``acc``: float32 scratch of one entry per mentor; ``term_buf``: float32 zeros, one per term
    (left as zeros). Listed pairs compute their cosine one by one from the mentor's own terms
    (``b_*``, CSR by mentor), adding the same products in the same order as the full row does.

    ``b_place[k]``: the place (distinct coordinates) of the mentor at position k. People live in
    communes, so a row meets far fewer places than mentors: the distance of a mentee to a place
    and its two decays are computed once per row and place (``place_*``: scratch of one entry per
    place, ``place_seen`` filled with -1; bits 1, 2 and 4 of ``place_seen[q] - 8 * row`` say which
    are known), from the same inputs, hence the same values as pair by pair.
    """
    m = b_age.shape[0]
    f32 = np.float32
    min_gap = f32(params[P_MIN_GAP])
    max_gap = f32(params[P_MAX_GAP])
    ideal = f32(params[P_IDEAL_GAP])
    sigma = f32(params[P_SIGMA])
    share = f32(params[P_STEP_SHARE])
    text_share = f32(params[P_TEXT_SHARE])
    max_km = f32(params[P_MAX_KM])
    # squared chord (unit sphere) of 0.1 % more than max_km: beyond it a pair is surely too far
    far_chord2 = (2.0 * math.sin(min(params[P_MAX_KM] * 1.001 / _EARTH_DIAMETER_KM, 1.5))) ** 2
    decay = f32(-1.0 / params[P_HALF_KM])
    proximity_first = params[P_PROXIMITY_FIRST] != 0
    remote_decay = f32(-1.0 / params[P_REMOTE_HALF_KM])
    other_field = f32(params[P_STEP_OTHER_FIELD])
    remote_share = f32(params[P_REMOTE_SHARE])
    same_dept_floor = f32(params[P_SAME_DEPARTEMENT])
    same_region_floor = f32(params[P_SAME_REGION])
    w_gen = f32(params[P_WEIGHTS])
    w_soc = f32(params[P_WEIGHTS + 1])
    w_goals = f32(params[P_WEIGHTS + 2])
    w_geo = f32(params[P_WEIGHTS + 3])
    w_avail = f32(params[P_WEIGHTS + 4])
    one = f32(1.0)
    half = f32(0.5)
    minus_half = f32(-0.5)
    diameter = f32(_EARTH_DIAMETER_KM)
    minus_inf = f32(-np.inf)
    nan = f32(np.nan)
    listed = cols.shape[0] > 0
    widest = m
    if listed:
        for r in range(rows.shape[0]):
            widest = max(widest, col_ptr[r + 1] - col_ptr[r])
    survivors = np.empty(max(widest, 1), np.int64)
    for r in range(rows.shape[0]):
        i = rows[r]
        # full row: text cosine of mentee i against every mentor, by scattering its terms'
        # postings (a listed pair computes its own below, in the same order of terms)
        has_text_a = a_code[i, C_HAS_TEXT] != 0
        if has_text_a and not listed:
            acc[:] = 0
            for p in range(a_ptr[i], a_ptr[i + 1]):
                t = a_idx[p]
                v = a_val[p]
                for q in range(bt_ptr[t], bt_ptr[t + 1]):
                    acc[bt_idx[q]] += v * bt_val[q]
        age_a = a_age[i]
        lang_a = a_code[i, C_LANGUAGES]
        class_a = a_code[i, C_CLASS]
        format_a = a_code[i, C_FORMAT]
        no_place_a = a_code[i, C_NO_PLACE] != 0
        xa, ya, za = a_xyz[i, 0], a_xyz[i, 1], a_xyz[i, 2]
        field_a = a_code[i, C_FIELD]
        commune_a = a_code[i, C_COMMUNE]
        dept_a = a_code[i, C_DEPARTEMENT]
        region_a = a_code[i, C_REGION]
        stage_a = a_code[i, C_STAGE]
        social_a = a_code[i, C_SOCIAL]
        goals_a = a_code[i, C_GOALS]
        slots_a = a_code[i, C_SLOTS]
        # 1) rules on small codes, branch-free (the compiler vectorises it): survivors' positions
        if listed:
            base = col_ptr[r]
            first, count = 0, col_ptr[r + 1] - base
            out[base : base + count] = minus_inf
            alive = 0
            for q in range(count):
                k = age_rank[cols[base + q]]
                gap = b_age[k] - age_a
                bad = (gap <= 0) | (gap < min_gap) | (gap > max_gap)
                bad |= class_ok[class_a + b_code[k, C_CLASS]] == 0
                bad |= (lang_a & b_code[k, C_LANGUAGES]) == 0
                survivors[alive] = q
                alive += np.int64(not bad)
        else:
            # full row: only mentors within the age-gap window (by age) can pass; -inf elsewhere
            base = r * m
            out[base : base + m] = minus_inf
            first = np.searchsorted(b_age, age_a + min_gap - f32(0.01))
            count = np.searchsorted(b_age, age_a + max_gap + f32(0.01), side="right") - first
            alive = 0
            for k in range(first, first + count):
                gap = b_age[k] - age_a
                bad = (gap <= 0) | (gap < min_gap) | (gap > max_gap)
                bad |= class_ok[class_a + b_code[k, C_CLASS]] == 0
                bad |= (lang_a & b_code[k, C_LANGUAGES]) == 0
                survivors[alive] = k
                alive += np.int64(not bad)
        # 2) distance and soft criteria of the survivors
        for v in range(alive):
            if listed:
                q = survivors[v]
                j = cols[base + q]
                k = age_rank[j]
                o = base + q
            else:
                k = survivors[v]
                j = by_age[k]
                o = base + j
            gap = b_age[k] - age_a
            mode = mode_t[format_a + b_code[k, C_FORMAT]]  # never 3 here: class_ok rules it out
            same_commune = commune_a >= 0 and commune_a == b_code[k, C_COMMUNE]
            place = -1
            if (mode == 2 and not proximity_first) or (same_commune and mode != 1):
                distance = f32(0.0)  # not needed: flat remote score, or same commune
            elif no_place_a or b_code[k, C_NO_PLACE] != 0:
                distance = nan
            else:
                place = b_place[k]
                stamp = 8 * r
                if place_seen[place] < stamp:  # first visit of this place in this row
                    dot = xa * b_xyz[k, 0] + ya * b_xyz[k, 1] + za * b_xyz[k, 2]
                    place_chord2[place] = max(2.0 - 2.0 * dot, 0.0)
                    place_seen[place] = stamp
                chord2 = place_chord2[place]
                if mode == 1 and chord2 > far_chord2:  # clearly too far: skip the arcsine
                    out[o] = minus_inf
                    continue
                known = place_seen[place] - stamp
                if known & 1:
                    distance = place_km[place]
                else:
                    half_chord = min(f32(math.sqrt(chord2)) * half, one)
                    distance = diameter * f32(_asin(half_chord))
                    place_km[place] = distance
                    place_seen[place] += 1
            if mode == 1 and not distance <= max_km:
                out[o] = minus_inf
                continue
            # soft criteria (same formulas as scoring.criteria)
            z = (gap - ideal) / sigma
            age_part = f32(math.exp(minus_half * (z * z)))
            step = step_t[stage_a + b_code[k, C_STAGE]]
            same_field = field_a >= 0 and field_a == b_code[k, C_FIELD]
            step *= other_field + (one - other_field) * f32(same_field)
            generational = (one - share) * age_part + share * step
            social = social_t[social_a + b_code[k, C_SOCIAL]]
            goal_part = goals_t[goals_a + b_code[k, C_GOALS]]
            if has_text_a and b_code[k, C_HAS_TEXT] != 0:
                if listed:
                    for q in range(b_ptr[j], b_ptr[j + 1]):  # mentor's terms into term_buf
                        term_buf[b_idx[q]] = b_val[q]
                    cosine = f32(0.0)
                    for p in range(a_ptr[i], a_ptr[i + 1]):
                        cosine += a_val[p] * term_buf[a_idx[p]]
                    for q in range(b_ptr[j], b_ptr[j + 1]):
                        term_buf[b_idx[q]] = 0
                else:
                    cosine = acc[j]
                goals = goal_part + text_share * (cosine - goal_part)
            else:
                goals = goal_part
            cached = place >= 0
            if mode == 2:  # remote only: scoring.remote_geography
                if not proximity_first:
                    geography = half
                elif same_commune:
                    geography = remote_share
                else:
                    if distance != distance:
                        locality = half
                    elif cached and (place_seen[place] - 8 * r) & 4:
                        locality = place_local[place]
                    else:
                        locality = f32(2.0 ** (distance * remote_decay))
                        if cached:
                            place_local[place] = locality
                            place_seen[place] += 4
                    if region_a >= 0 and region_a == b_code[k, C_REGION]:
                        locality = max(locality, same_region_floor)
                    if dept_a >= 0 and dept_a == b_code[k, C_DEPARTEMENT]:
                        locality = max(locality, same_dept_floor)
                    geography = remote_share * locality
            elif same_commune:
                geography = one
            elif distance != distance:
                geography = half
            elif cached and (place_seen[place] - 8 * r) & 2:
                geography = place_geo[place]
            else:
                geography = f32(2.0 ** (distance * decay))
                if cached:
                    place_geo[place] = geography
                    place_seen[place] += 2
            availability = avail_t[slots_a + b_code[k, C_SLOTS]]
            total = f32(0.0)
            total += w_gen * generational
            total += w_soc * social
            total += w_goals * goals
            total += w_geo * geography
            total += w_avail * availability
            for c in range(N_CODES, a_code.shape[1]):
                total += f32(params[N_PARAMS + c - N_CODES]) * f32(params[a_code[i, c] + b_code[k, c]])
            out[o] = total


#: odd multiplier (Knuth's golden ratio, 2**32 / phi) spreading each person's tie-break offset
_TIE_SPREAD = 2654435761


@njit(cache=True, nogil=True, inline="always")
def tie_offset(index, size):
    """Where person ``index``'s tie order starts among ``size`` others (see ``_better``)."""
    return (index * _TIE_SPREAD) % max(size, 1)


@njit(cache=True, nogil=True, inline="always")
def _better(val, key, a, b):
    # larger weight first; on equal weights the lower key first. Keys are rotated indices,
    # ``(other + tie_offset(self)) % size``: each person breaks ties from its own starting point,
    # so on equal scores mentees do not all keep the same lowest-numbered mentors (and mentors
    # the same mentees), which left most of the pool without a candidate on all-equal scores.
    return val[a] > val[b] or (val[a] == val[b] and key[a] < key[b])


@njit(cache=True, nogil=True, inline="always")
def _swap(val, key, aux, a, b):
    val[a], val[b] = val[b], val[a]
    key[a], key[b] = key[b], key[a]
    aux[a], aux[b] = aux[b], aux[a]


@njit(cache=True, nogil=True)
def _select(val, key, aux, lo, count, k):
    """Reorder entries lo:lo+count so the k best (see ``_better``) come first, the k-th at
    lo + k - 1 (quickselect, median-of-three pivot). Keys are unique, so the result is too."""
    left, right, target = lo, lo + count - 1, lo + k - 1
    while left < right:
        mid = (left + right) // 2
        if _better(val, key, mid, left):
            _swap(val, key, aux, mid, left)
        if _better(val, key, right, left):
            _swap(val, key, aux, right, left)
        if _better(val, key, mid, right):
            _swap(val, key, aux, mid, right)
        # the median of the three is now at right: the pivot
        store = left
        for q in range(left, right):
            if _better(val, key, q, right):
                _swap(val, key, aux, q, store)
                store += 1
        _swap(val, key, aux, store, right)
        if store == target:
            return
        if store < target:
            left = store + 1
        else:
            right = store - 1


@njit(cache=True, nogil=True)
def scan_rows(  # noqa: PLR0913
    block,
    row0,
    priority,
    dead,
    k_row,
    r_col,
    r_raw,
    r_count,
    r_threshold,
    r_admissible,
    k_col,
    c_val,
    c_row,
    c_raw,
    c_count,
    c_floor,
    c_floor_key,
    c_dropped,
    group,
    r_group_max,
    stats,
):
    """Scan rows ``row0 + r`` of ``block`` (raw scores, one row per mentee).

    Weight ``w = float32(raw) + priority``; NaN, -inf and ``w <= 0`` are not edges, nor is any
    pair of a mentor whose ``dead`` entry is -inf (float32, 0 for the others).
    Row side: ``r_col/r_raw[i, :r_count[i]]`` receive mentee i's ``k_row`` best pairs (mentor,
    raw score as float64; unordered), ties broken by rotated index (``_better``); ``r_threshold[i]`` is the
    smallest kept weight when pairs were left out (0 otherwise): every pair left out weighs at
    most that. Column side: a buffer of ``2 * k_col`` slots per mentor (``c_*[j]``), cut back to
    its ``k_col`` best whenever full; ``c_floor[j]`` / ``c_floor_key[j]`` are then the k-th
    (weight, tie key), below which nothing enters, and ``c_dropped[j]`` is set. ``c_row`` holds
    tie keys, not mentees, until ``merge_columns`` turns them back. Rows must come in increasing order for one set of
    buffers (``finish_columns`` makes the final cut). ``r_group_max[i, g]``: mentee i's largest
    weight among the mentors of group ``group[j] == g`` (0 if none), kept or not.
    ``r_admissible[i]``: mentee i's edges (admissible pairs of w > 0 with a mentor who has a
    place). ``stats``: [admissible pairs, largest w].
    """
    b, m = block.shape
    n = r_col.shape[0]
    zero = np.float32(0.0)
    n_admissible = 0
    w_max = zero
    wbuf = np.empty(m, np.float32)
    idx = np.empty(m, np.int64)
    rawbuf = np.empty(m, np.float64)
    width = 2 * k_col
    col_offset = np.empty(m, np.int64)  # each mentor's tie_offset among the n mentees
    for j in range(m):
        col_offset[j] = tie_offset(j, n)
    for r in range(b):
        i = row0 + r
        prio = priority[i]
        # branch-free compaction of the row's edges (dead mentors add -inf, NaN fails the test)
        npos = 0
        for j in range(m):
            w = (np.float32(block[r, j]) + prio) + dead[j]
            wbuf[npos] = w
            idx[npos] = j
            npos += np.int64(w > zero)
        for q in range(npos):
            w = wbuf[q]
            j = idx[q]
            if w > w_max:
                w_max = w
            g = group[j]
            if w > r_group_max[i, g]:
                r_group_max[i, g] = w
            key = i + col_offset[j]  # the mentor's tie key of this mentee, (i + offset) % n
            if key >= n:
                key -= n
            if w > c_floor[j] or (w == c_floor[j] and key < c_floor_key[j]):
                c = c_count[j]
                if c == width:
                    _select(c_val[j], c_row[j], c_raw[j], 0, width, k_col)
                    c = k_col
                    c_floor[j] = c_val[j, k_col - 1]
                    c_floor_key[j] = c_row[j, k_col - 1]
                    c_dropped[j] = True
                    if not (w > c_floor[j] or (w == c_floor[j] and key < c_floor_key[j])):
                        c_count[j] = c
                        continue
                c_val[j, c] = w
                c_row[j, c] = key
                c_raw[j, c] = block[r, j]
                c_count[j] = c + 1
        n_admissible += npos
        r_admissible[i] = npos
        keep = npos
        r_threshold[i] = zero
        if npos > k_row:
            off = tie_offset(i, m)
            for q in range(npos):
                rawbuf[q] = block[r, idx[q]]
                key = idx[q] + off  # tie key, (j + off) % m
                idx[q] = key - m if key >= m else key
            _select(wbuf, idx, rawbuf, 0, npos, k_row)
            keep = k_row
            r_threshold[i] = wbuf[k_row - 1]
            for q in range(keep):
                j = idx[q] - off
                r_col[i, q] = j + m if j < 0 else j
                r_raw[i, q] = rawbuf[q]
        else:
            for q in range(keep):
                r_col[i, q] = idx[q]
                r_raw[i, q] = block[r, idx[q]]
        r_count[i] = keep
    stats[0] += n_admissible
    if w_max > stats[1]:
        stats[1] = w_max


@njit(cache=True, nogil=True)
def finish_columns(k_col, c_val, c_row, c_raw, c_count, c_dropped):
    """Cut every mentor's buffer to its ``k_col`` best."""
    for j in range(c_count.shape[0]):
        if c_count[j] > k_col:
            _select(c_val[j], c_row[j], c_raw[j], 0, c_count[j], k_col)
            c_count[j] = k_col
            c_dropped[j] = True


@njit(cache=True, nogil=True)
def group_bound(rows, row_threshold, group_max, g_ptr, g_members, g_threshold, price, out):
    """f[i] = max_j (min(t[i], M[i, g(j)], s[j]) - p[j]) for mentees ``rows`` (into ``out``).

    Mentors come by group (``g_members[g_ptr[g]:g_ptr[g + 1]]``), sorted by threshold s within
    each group (``g_threshold``, same order). Per group, ``max_j (min(x, s[j]) - p[j])`` is the
    larger of the best ``s[j] - p[j]`` among s[j] <= x and x minus the lowest price among the
    others: prefix and suffix maxima, then one binary search per mentee and group.
    """
    n_groups = g_ptr.shape[0] - 1
    m = g_members.shape[0]
    prefix = np.empty(m)
    suffix = np.empty(m + n_groups)
    for g in range(n_groups):
        lo, hi = g_ptr[g], g_ptr[g + 1]
        run = -np.inf
        for q in range(lo, hi):
            v = np.float64(g_threshold[q]) - price[g_members[q]]
            run = max(run, v)
            prefix[q] = run
        run = -np.inf
        suffix[hi + g] = run  # one sentinel slot per group
        for q in range(hi - 1, lo - 1, -1):
            run = max(run, -price[g_members[q]])
            suffix[q + g] = run
    for r in range(rows.shape[0]):
        i = rows[r]
        t = np.float64(row_threshold[i])
        f = -np.inf
        for g in range(n_groups):
            lo, hi = g_ptr[g], g_ptr[g + 1]
            if hi == lo:
                continue
            x = min(t, np.float64(group_max[i, g]))
            pos = lo + np.searchsorted(g_threshold[lo:hi], x, side="right")
            if pos > lo:
                f = max(f, prefix[pos - 1])
            if pos < hi:
                f = max(f, x + suffix[pos + g])
        out[r] = f


@njit(cache=True, nogil=True)
def bounded_columns(
    rows, row_threshold, group_max, g_ptr, g_members, g_threshold, price, level, margin
):
    """Per mentee ``rows[r]``, the mentors whose bound beats ``level``:
    ``min(t[i], M[i, g(j)], s[j]) - p[j] + margin > level[i]`` (groups as in ``group_bound``;
    a group is skipped whole when even its cheapest mentor cannot pass). Returns (col_ptr,
    cols), CSR by row."""
    n_groups = g_ptr.shape[0] - 1
    cheapest = np.full(n_groups, np.inf)
    for g in range(n_groups):
        for q in range(g_ptr[g], g_ptr[g + 1]):
            cheapest[g] = min(cheapest[g], price[g_members[q]])
    ptr = np.zeros(rows.shape[0] + 1, np.int64)
    for sweep in range(2):
        cols = np.empty(ptr[-1] if sweep == 1 else 0, np.int64)
        for r in range(rows.shape[0]):
            i = rows[r]
            t = np.float64(row_threshold[i])
            floor = level[i] - margin
            c = ptr[r]
            for g in range(n_groups):
                x = min(t, np.float64(group_max[i, g]))
                if not x - cheapest[g] > floor:
                    continue
                for q in range(g_ptr[g], g_ptr[g + 1]):
                    j = g_members[q]
                    if min(x, np.float64(g_threshold[q])) - price[j] > floor:
                        if sweep == 1:
                            cols[c] = j
                        c += 1
            if sweep == 0:
                ptr[r + 1] = c
    return ptr, cols


@njit(cache=True, nogil=True)
def reduce_lists(rows, ptr, cols, raw, priority, dead, price, slack, tol, k_add, best, chosen):
    """Over each mentee's listed pairs (raw scores ``raw``, aligned with ``cols``): the best
    reduced weight ``w - p[j]`` into ``best[r]`` (non-edges weigh 0), and the positions in
    ``cols`` of its ``k_add`` best pairs whose gain ``w - p[j] - slack[i]`` exceeds ``tol``
    (``chosen[r, :]``, -1 where fewer)."""
    zero = np.float32(0.0)
    gains = np.empty(max(k_add, 1), np.float32)
    for r in range(rows.shape[0]):
        i = rows[r]
        prio = priority[i]
        top = zero
        kept = 0
        for q in range(ptr[r], ptr[r + 1]):
            j = cols[q]
            w = (np.float32(raw[q]) + prio) + dead[j]
            if not w > zero:
                w = zero
            reduced = w - price[j]
            if reduced > top:
                top = reduced
            gain = reduced - slack[i]
            if gain > tol and k_add > 0:
                if kept < k_add:
                    pos = kept
                    kept += 1
                elif gain > gains[kept - 1]:
                    pos = kept - 1
                else:
                    continue
                while pos > 0 and gains[pos - 1] < gain:  # keep gains sorted, best first
                    gains[pos] = gains[pos - 1]
                    chosen[r, pos] = chosen[r, pos - 1]
                    pos -= 1
                gains[pos] = gain
                chosen[r, pos] = q
        best[r] = top
        for k in range(kept, chosen.shape[1]):
            chosen[r, k] = -1


@njit(cache=True, nogil=True)
def merge_columns(
    n, k_col, val, row, raw, count, dropped, out_row, out_raw, out_count, out_threshold
):
    """Merge the mentor buffers of several threads (``val/row/raw``: (threads, m, 2 * k_col),
    ``count``/``dropped``: (threads, m); ``row`` holds tie keys) into each mentor's ``k_col``
    best, listed by mentee index.
    ``out_threshold[j]``: the k-th weight when pairs were left out (0 otherwise); dropped pairs
    weigh at most their thread's k-th weight, itself at most the merged k-th."""
    threads, m = count.shape
    size = max(threads * k_col, 1)
    bv = np.empty(size, np.float32)
    br = np.empty(size, np.int64)
    bw = np.empty(size, np.float64)
    for j in range(m):
        c = 0
        left_out = False
        for t in range(threads):
            for q in range(count[t, j]):
                bv[c] = val[t, j, q]
                br[c] = row[t, j, q]
                bw[c] = raw[t, j, q]
                c += 1
            left_out = left_out or dropped[t, j]
        if c > k_col:
            _select(bv, br, bw, 0, c, k_col)
            c = k_col
            left_out = True
        out_threshold[j] = bv[k_col - 1] if left_out and c == k_col else np.float32(0.0)
        off = tie_offset(j, n)
        for q in range(c):
            br[q] = (br[q] - off) % n  # tie key back to the mentee
        order = np.argsort(br[:c])  # canonical order, whatever the thread split
        for q in range(c):
            out_row[j, q] = br[order[q]]
            out_raw[j, q] = bw[order[q]]
        for q in range(c, k_col):
            out_row[j, q] = -1
        out_count[j] = c


@njit(cache=True, nogil=True)
def relax_prices(price, indptr, dst, gain, frontier, tol, max_rounds):
    """Bellman-Ford by frontier, round by round, of ``flow.mentor_prices`` (same rounds, same
    values): each round, every edge (s -> dst, gain) of a mentor s whose price rose last round
    offers ``price[s] + gain`` to ``dst``, both prices read as they were when the round began; an
    offer above ``price[dst] + tol`` raises it. ``indptr``: edges by source mentor (CSR).
    Returns True when a round raises nothing (converged), False after ``max_rounds`` rounds."""
    m = price.shape[0]
    before = np.empty_like(price)  # price at the start of the round, where it rose this round
    touched = np.zeros(m, np.bool_)
    current = frontier.copy()
    count = current.shape[0]
    following = np.empty(m, np.int64)
    for _ in range(max_rounds):
        total = 0
        for a in range(count):
            total += indptr[current[a] + 1] - indptr[current[a]]
        if total == 0:
            return True
        raised = 0
        for a in range(count):
            s = current[a]
            base = before[s] if touched[s] else price[s]
            for e in range(indptr[s], indptr[s + 1]):
                t = dst[e]
                value = base + gain[e]
                old = before[t] if touched[t] else price[t]
                if value > old + tol:
                    if not touched[t]:
                        touched[t] = True
                        before[t] = price[t]
                        following[raised] = t
                        raised += 1
                    if value > price[t]:
                        price[t] = value
        if raised == 0:
            return True
        for a in range(raised):
            touched[following[a]] = False
        current = following[:raised].copy()
        count = raised
    return False
