"""Fine-tuning a base on a dataset whose channel is named otherwise: the note says the channel is
fed in order and that the names check nothing. It read ``dataset channels ['MR'] are used as
['T1']``: a FLAIR training set sent from the window (channel ``MR``, from the DICOM Modality) looked
taken for T1 by the bundled lesionseg (its card's one channel is ``T1``; it reads T1, T2 and FLAIR)."""

from neuroview.ai.finetune import channels_note
from neuroview.ai.package import read_card
from neuroview.paths import resources_dir


def test_the_note_says_the_channel_is_matched_by_order_not_by_name():
    card = read_card(resources_dir() / "models" / "lesionseg")
    assert channels_note(["MR"], card) == (
        f"note: {card.ref} is given the dataset's channel 'MR' as its 'T1': channels are matched "
        "by order; a channel's name is a label and checks nothing of the image's contrast")
