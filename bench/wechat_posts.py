"""Made-up Moments posts with their truth: WeChat-like names, comments, replies, emoji.

``bench/wechat_screens.py`` draws them; tests and the screenshots bench compare what was
read against ``PostTruth`` (emoji aside: ``plain``).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "美丽芳娜敏静秀英华慧巧雅琳晶妍茜倩婷雪霞燕玲桂丹萍红玉兰凤洁梅琴云莲真环颖露瑶怡"
    "佳嘉琪思涵欣悦可馨雨晴月菲薇蓉媛璐"
)
CITIES = [
    "杭州",
    "上海",
    "苏州",
    "宁波",
    "广州",
    "深圳",
    "成都",
    "重庆",
    "武汉",
    "南京",
    "义乌",
    "温州",
    "长沙",
    "西安",
    "厦门",
]
TITLES = ["姐", "妈", "宝妈", "阿姨", "小妹", "老师", "同学"]
LATIN = [
    "Lily",
    "Amy",
    "Coco",
    "Vivian",
    "Grace",
    "Cindy",
    "Judy",
    "Kiki",
    "Nana",
    "Emma",
    "Sunny",
    "Candy",
    "Joy",
    "Lucy",
    "Mia",
    "Zoe",
    "Anna",
    "Bella",
    "Chloe",
    "Ivy",
    "Tina",
    "Wendy",
    "Yoyo",
    "Doris",
    "Helen",
    "Irene",
    "Jenny",
    "Linda",
    "Mandy",
    "Nancy",
    "Rita",
    "Sandy",
]
SWEET = [
    "小美",
    "阿花",
    "糖糖",
    "果果",
    "甜甜",
    "朵朵",
    "悠悠",
    "乐乐",
    "豆豆",
    "圆圆",
    "妞妞",
    "笑笑",
    "贝贝",
    "点点",
    "晨曦",
    "向日葵",
    "小太阳",
    "茉莉",
    "栀子",
    "柠檬",
    "芒果",
    "七七",
    "十一",
    "安然",
    "知足",
    "随缘",
    "花开",
    "微笑",
    "清风",
]
EMOJIS = ["🌸", "🍀", "🌻", "💕", "🐱", "🍓", "✨", "🌙", "🦋", "🌹", "😊", "🍒"]
SELLERS = ["小鹿家女装", "阿敏优选", "杭州-琳姐小店", "Vivian的衣橱", "悦己服饰"]
POST_TEXTS = [
    "新款到货🔥 法式碎花连衣裙，显瘦不挑人，S-XL 四个码，今晚八点开抢！",
    "秋冬加厚羊毛开衫，三色可选，库存不多，喜欢的姐妹评论区扣1",
    "今天去杭州四季青拿货，给大家挑了几件百搭款，价格美丽",
]
SHORT_COMMENTS = [
    "+1",
    "扣1",
    "要一件",
    "M码",
    "黑色L",
    "好看！多少钱",
    "还有货吗",
    "我要了",
    "S码要一件",
    "白色M",
    "已私聊",
    "什么时候发货呀",
    "这个颜色显白吗",
    "想要",
    "好漂亮",
    "165穿什么码",
    "有实拍吗",
]
LONG_COMMENTS = [
    "上次买的那件质量很好，这次的面料是一样的吗？想给我妈也买一件，有没有大一码的",
    "姐姐我身高160体重105斤平时穿M，这件穿什么码合适呀，想要黑色的，谢谢",
    "收到啦，衣服很好看，同事都问我在哪里买的，下次上新记得提醒我一下哦",
    "请问一下这个裙子会不会起球，洗的时候需要手洗吗，我家里只有洗衣机",
]
REPLIES = ["有的亲", "好的，给你留一件", "M码合适", "亲，私聊你了", "明天发货哦"]
TIMES = ["2小时前", "昨天", "11月24日 20:00", "15分钟前", "昨天 21:08", "3月8日 12:30"]


@dataclass(frozen=True)
class Comment:
    name: str
    text: str
    reply_to: str | None = None


@dataclass(frozen=True)
class PostTruth:
    seller: str
    text: str
    time: str
    likes: tuple[str, ...]
    comments: tuple[Comment, ...]


def plain(name: str) -> str:
    """A name as OCR can read it: emoji left out."""
    return _EMOJI.sub("", name).strip()


# -- random posts ------------------------------------------------------------------------------


def random_name(rng: random.Random, emoji: bool = True) -> str:
    roll = rng.random()
    if roll < 0.30:
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
    elif roll < 0.45:
        name = f"{rng.choice(CITIES)}-{rng.choice(SURNAMES)}{rng.choice(TITLES)}"
    elif roll < 0.60:
        name = rng.choice(LATIN)
        if rng.random() < 0.3:
            name += f" {rng.choice(SURNAMES)}"
    elif roll < 0.70:
        name = f"{rng.choice(LATIN)}{rng.choice(SWEET)}"
    else:
        name = rng.choice(SWEET) + ("" if rng.random() < 0.6 else rng.choice(SWEET))
    if emoji and rng.random() < 0.18:
        icon = rng.choice(EMOJIS)
        name = f"{icon}{name}" if rng.random() < 0.4 else f"{name}{icon}"
    return name


def random_post(rng: random.Random, likers: int, comments: int) -> PostTruth:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < likers + comments // 2 + 3:
        name = random_name(rng)
        if plain(name) and plain(name) not in seen:
            seen.add(plain(name))
            names.append(name)
    likes = tuple(names[:likers])
    seller = rng.choice(SELLERS)
    said: list[Comment] = []
    pool = names[: likers + comments // 2 + 3]
    for _ in range(comments):
        author = rng.choice(pool)
        roll = rng.random()
        if said and roll < 0.2:
            said.append(Comment(seller, rng.choice(REPLIES), reply_to=said[-1].name))
        elif roll < 0.35:
            said.append(Comment(author, rng.choice(LONG_COMMENTS)))
        else:
            said.append(Comment(author, rng.choice(SHORT_COMMENTS)))
    return PostTruth(seller, rng.choice(POST_TEXTS), rng.choice(TIMES), likes, tuple(said))


#: The small screenshot shipped for the tests and the frozen bundle's smoke run.
ASSET_TRUTH = PostTruth(
    seller="悦己服饰",
    text="秋冬加厚羊毛开衫，三色可选，喜欢的姐妹评论区扣1",
    time="2小时前",
    likes=("小美", "阿花", "Lily李🌸", "曾小梅", "杭州-王姐", "Amy", "🍀Coco", "深圳-雷老师"),
    comments=(
        Comment("小美", "好看！多少钱"),
        Comment("阿花", "M码"),
        Comment("悦己服饰", "好的，给你留一件", reply_to="阿花"),
        Comment("杭州-王姐", "黑色L"),
        Comment("Lily李🌸", "扣1"),
        Comment("曾小梅", "上次买的那件质量很好，这次的面料是一样的吗？想给我妈也买一件"),
    ),
)


def expected_json(truth: PostTruth) -> dict[str, object]:
    """What ``moments-desk read-screenshot --json`` prints for ``truth`` (emoji aside)."""
    return {
        "likes": [plain(n) for n in truth.likes],
        "comments": [
            {
                "name": plain(c.name),
                "reply_to": plain(c.reply_to) if c.reply_to else None,
                "text": c.text,
            }
            for c in truth.comments
        ],
    }
